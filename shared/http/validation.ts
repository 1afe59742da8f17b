import type { z } from 'zod';
import type { FieldIssue } from '../domain/errors';

/**
 * How the API words a validation problem. Messages a schema states itself ("a ULID (26 Crockford base-32
 * characters)") win; this map words zod's generic ones, so a caller never reads "expected number, received number".
 */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      if (typeof issue.input === 'number' && !Number.isFinite(issue.input)) return 'must be a finite number';
      return `must be ${TYPE_NOUNS[issue.expected] ?? issue.expected}`;
    case 'too_big':
      return `must be ${bound(issue.origin, issue.inclusive === false ? 'less than' : 'at most', issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
      if (issue.origin === 'array' && issue.minimum === 1) return 'must list at least one item';
      return `must be ${bound(issue.origin, issue.inclusive === false ? 'more than' : 'at least', issue.minimum)}`;
    case 'invalid_format':
      return `must be ${FORMAT_NOUNS[issue.format] ?? `in the ${issue.format} format`}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'matches none of the accepted shapes';
    case 'unrecognized_keys':
      return 'unknown field';
    default:
      return undefined;
  }
}

const TYPE_NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_NOUNS: Record<string, string> = {
  email: 'an e-mail address',
  url: 'a URL',
  date: 'a date such as 2026-03-02',
  datetime: 'an instant such as 2026-03-02T16:00:00+01:00',
  uuid: 'a UUID',
};

function bound(origin: string, relation: string, limit: number | bigint): string {
  const value = String(limit);
  if (origin === 'string') return `${relation} ${value} characters long`;
  if (origin === 'array' || origin === 'set') return `${relation} ${value} items long`;
  return `${relation} ${value}`;
}

/** zod adds a safe-integer bound to every integer; when the schema states its own bound, that one is the answer. */
const isSafeIntegerBound = (issue: z.core.$ZodIssue): boolean => issue.code === 'too_big' && issue.origin === 'int';

/**
 * One detail per field, named by its dotted path under `where` (`body.modules.hosting.gtrMinute`): an unknown key is
 * named itself; when zod reports several problems with one field, the first the schema states is kept.
 */
export function issuesToDetails(error: z.ZodError, where?: string): FieldIssue[] {
  const byPath = new Map<string, z.core.$ZodIssue[]>();
  const add = (segments: ReadonlyArray<PropertyKey>, issue: z.core.$ZodIssue) => {
    const relative = segments.map(String).join('.');
    const path = where === undefined ? relative || '(root)' : relative ? `${where}.${relative}` : where;
    byPath.set(path, [...(byPath.get(path) ?? []), issue]);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], issue);
    else add(issue.path, issue);
  }
  return [...byPath].map(([path, issues]) => {
    const stated = issues.find((issue) => !isSafeIntegerBound(issue)) ?? issues[0]!;
    return { path, message: stated.message };
  });
}
