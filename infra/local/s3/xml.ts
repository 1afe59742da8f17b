/**
 * The little XML this server needs: a writer for responses and a strict, minimal parser for the
 * few request bodies S3 takes (no DTDs, no entities beyond the predefined and numeric ones).
 */

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Already rendered XML, which `el` inserts without escaping. */
export class Xml {
  constructor(readonly raw: string) {}
}

export type XmlValue = string | number | boolean | Date | Xml | readonly XmlValue[] | undefined | null;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

function render(value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Xml) return value.raw;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeXml(String(value));
}

/** `<name>children</name>`; an element whose only content is undefined/null is omitted. */
export function el(name: string, ...children: XmlValue[]): Xml {
  if (children.length > 0 && children.every((c) => c === undefined || c === null)) return new Xml('');
  return new Xml(`<${name}>${children.map(render).join('')}</${name}>`);
}

/** A whole response document whose root carries the S3 namespace. */
export function xmlDocument(rootName: string, ...children: XmlValue[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rootName} xmlns="${S3_XMLNS}">${children.map(render).join('')}</${rootName}>`;
}

/** A document without namespace (S3 error bodies have none). */
export function plainXmlDocument(root: Xml): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root.raw}`;
}

export interface XmlElement {
  /** Local name, namespace prefix removed. */
  name: string;
  children: XmlElement[];
  /** Concatenated text content directly inside this element. */
  text: string;
}

export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

export function parseXml(source: string): XmlElement {
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (what: string): never => {
    throw new XmlParseError(`${what} at offset ${pos}`);
  };
  const skipSpace = (): void => {
    while (pos < source.length && /\s/.test(source[pos] ?? '')) pos++;
  };
  const skipUntil = (end: string): void => {
    const at = source.indexOf(end, pos);
    if (at < 0) fail(`unterminated construct, expected ${end}`);
    pos = at + end.length;
  };
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<?', pos)) skipUntil('?>');
      else if (source.startsWith('<!--', pos)) skipUntil('-->');
      else if (source.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE is not accepted');
      else return;
    }
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(source);
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

  const parseElement = (): XmlElement => {
    if (source[pos] !== '<') fail('expected <');
    pos++;
    const qname = readName();
    // Attributes are read and dropped: no S3 request body we accept depends on one.
    for (;;) {
      skipSpace();
      const c = source[pos];
      if (c === '/' && source[pos + 1] === '>') {
        pos += 2;
        return { name: localName(qname), children: [], text: '' };
      }
      if (c === '>') {
        pos++;
        break;
      }
      readName();
      skipSpace();
      if (source[pos] !== '=') fail('expected =');
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
      const end = source.indexOf(quote as string, pos + 1);
      if (end < 0) fail('unterminated attribute');
      pos = end + 1;
    }
    const element: XmlElement = { name: localName(qname), children: [], text: '' };
    for (;;) {
      if (pos >= source.length) fail(`unterminated element <${qname}>`);
      if (source.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== qname) fail(`mismatched </${closing}> for <${qname}>`);
        skipSpace();
        if (source[pos] !== '>') fail('expected >');
        pos++;
        return element;
      }
      if (source.startsWith('<!--', pos)) {
        skipUntil('-->');
      } else if (source.startsWith('<![CDATA[', pos)) {
        const start = pos + 9;
        skipUntil(']]>');
        element.text += source.slice(start, pos - 3);
      } else if (source.startsWith('<?', pos)) {
        skipUntil('?>');
      } else if (source[pos] === '<') {
        element.children.push(parseElement());
      } else {
        const next = source.indexOf('<', pos);
        const end = next < 0 ? source.length : next;
        element.text += decodeEntities(source.slice(pos, end), fail);
        pos = end;
      }
    }
  };

  skipMisc();
  const root = parseElement();
  skipMisc();
  if (pos < source.length) fail('content after the root element');
  return root;
}

function decodeEntities(text: string, fail: (what: string) => never): string {
  return text.replace(/&([^;&]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) return fail('unterminated entity');
    switch (body) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const code = body.startsWith('#x') ? parseInt(body.slice(2), 16) : body.startsWith('#') ? parseInt(body.slice(1), 10) : NaN;
    if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) return fail(`unknown entity &${body};`);
    return String.fromCodePoint(code);
  });
}

export function childElements(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((c) => c.name === name);
}

export function childElement(parent: XmlElement, name: string): XmlElement | undefined {
  return parent.children.find((c) => c.name === name);
}

/** Text of the first child named `name`, as sent (object keys may start or end with spaces). */
export function childRawText(parent: XmlElement, name: string): string | undefined {
  return childElement(parent, name)?.text;
}

/** Trimmed text of the first child named `name`, or undefined when absent. */
export function childText(parent: XmlElement, name: string): string | undefined {
  return childElement(parent, name)?.text.trim();
}
