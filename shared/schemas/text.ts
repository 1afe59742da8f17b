import { z } from 'zod';

/**
 * The character policy of every text the API accepts, applied to each string and object key of a request
 * before its schema runs (shared/http/request.ts), so no field can forget it:
 * - C0 controls except tab and line feed, DEL and the C1 controls: invisible, and some break logs, CSV and mail;
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make a name read
 *   differently from what it is ("Trojan Source");
 * - U+FFFD: the mark of text already damaged upstream (bytes that were not UTF-8);
 * - lone surrogates: not Unicode at all (JSON can carry them as `\ud800`).
 * Single-line fields refuse tab and line feed as well (`singleLine`).
 */
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFD\uD800-\uDFFF]/u;

function describe(char: string): string {
  const code = char.codePointAt(0)!;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0xfffd) return `${name}, the mark of bytes that were not valid UTF-8`;
  if (code >= 0xd800 && code <= 0xdfff) return `a lone surrogate ${name} (not valid Unicode)`;
  if (code >= 0x202a) return `a bidirectional control ${name}`;
  return `a control character ${name}`;
}

/** Why `text` breaks the policy, in the API's words, or undefined when it is clean. */
export function textPolicyViolation(text: string): string | undefined {
  const match = FORBIDDEN.exec(text);
  if (!match) return undefined;
  return `contains ${describe(match[0])} at position ${match.index}`;
}

const SINGLE_LINE = /^[^\t\n]*$/;
const SINGLE_LINE_MESSAGE = 'a single line (no tab or line break)';

/** A name, number or label: trimmed, one line, 1 to `max` characters. */
export const singleLine = (max: number) => z.string().trim().min(1).max(max).regex(SINGLE_LINE, SINGLE_LINE_MESSAGE);

/** Free text (a description, a reason): trimmed, 1 to `max` characters; tabs and line feeds allowed. */
export const multiline = (max: number) => z.string().trim().min(1).max(max).meta({ multiline: true });

/** True for a string schema declared with `multiline` (the schema walker of the tests reads this). */
export const isMultiline = (schema: z.ZodType): boolean => z.globalRegistry.get(schema)?.['multiline'] === true;
