import { describe, expect, it } from 'vitest';
import { XmlParseError, childElements, childRawText, childText, el, parseXml, xmlDocument } from '../../../../infra/local/s3/xml';

describe('local S3 XML', () => {
  it('parses namespaces, entities, CDATA and keeps spaces of key text', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><s3:Delete xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<s3:Object><s3:Key> a &amp; b &lt;é&gt; &#x1F4E6;&#65; </s3:Key></s3:Object>' +
        '<Object><Key><![CDATA[x<y]]></Key><VersionId>v1</VersionId></Object><Quiet> true </Quiet></s3:Delete>',
    );
    expect(root.name).toBe('Delete');
    const objects = childElements(root, 'Object');
    expect(objects.map((o) => childRawText(o, 'Key'))).toEqual([' a & b <é> 📦A ', 'x<y']);
    expect(childText(objects[1] ?? root, 'VersionId')).toBe('v1');
    expect(childText(root, 'Quiet')).toBe('true');
  });

  it('rejects malformed documents, DOCTYPEs and unknown entities', () => {
    for (const bad of ['<a><b></a>', '<a>', '<a>&foo;</a>', '<!DOCTYPE a [<!ENTITY x "y">]><a/>', '<a/><b/>', 'text']) {
      expect(() => parseXml(bad), bad).toThrow(XmlParseError);
    }
  });

  it('writes escaped text and omits elements whose only value is undefined', () => {
    const xml = xmlDocument('R', el('Key', `a<&>"'\r`), el('Missing', undefined), el('Empty', ''), el('N', 3), el('B', false));
    expect(xml).toContain('<Key>a&lt;&amp;&gt;&quot;&apos;&#13;</Key>');
    expect(xml).not.toContain('Missing');
    expect(xml).toContain('<Empty></Empty><N>3</N><B>false</B>');
    expect(parseXml(xml).children.map((c) => c.name)).toEqual(['Key', 'Empty', 'N', 'B']);
  });
});
