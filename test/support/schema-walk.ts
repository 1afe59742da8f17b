import type { z } from 'zod';
import { isMultiline } from '../../shared/schemas/text';

/** One place in a schema, named by its path of keys (`modules.hosting`), `[]` for an array's items. */
export interface SchemaNode {
  path: string;
  schema: z.ZodType;
  type: string;
}

interface Def {
  type: string;
  [key: string]: unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (schema: z.ZodType): Array<Record<string, unknown>> =>
  ((defOf(schema)['checks'] as Array<{ _zod: { def: Record<string, unknown> } }> | undefined) ?? []).map((check) => check._zod.def);

/**
 * Every schema reachable from `root`, with its path: through objects, arrays, records, tuples, unions, intersections,
 * optionals, defaults, pipes and lazies. What a request can put anywhere, a test can look at.
 */
export function walkSchema(root: z.ZodType, rootPath = ''): SchemaNode[] {
  const nodes: SchemaNode[] = [];
  const seen = new Set<z.ZodType>();
  const visit = (schema: z.ZodType, path: string) => {
    if (seen.has(schema)) return;
    seen.add(schema);
    const def = defOf(schema);
    nodes.push({ path, schema, type: def.type });
    const at = (key: string) => (path ? `${path}.${key}` : key);
    switch (def.type) {
      case 'object':
        for (const [key, child] of Object.entries(def['shape'] as Record<string, z.ZodType>)) visit(child, at(key));
        break;
      case 'array':
        visit(def['element'] as z.ZodType, at('[]'));
        break;
      case 'record':
        visit(def['keyType'] as z.ZodType, at('{key}'));
        visit(def['valueType'] as z.ZodType, at('{value}'));
        break;
      case 'tuple':
        (def['items'] as z.ZodType[]).forEach((item, index) => visit(item, at(String(index))));
        break;
      case 'union':
        (def['options'] as z.ZodType[]).forEach((option) => visit(option, path));
        break;
      case 'intersection':
        visit(def['left'] as z.ZodType, path);
        visit(def['right'] as z.ZodType, path);
        break;
      case 'pipe':
        visit(def['in'] as z.ZodType, path);
        visit(def['out'] as z.ZodType, path);
        break;
      case 'lazy':
        visit((def['getter'] as () => z.ZodType)(), path);
        break;
      default:
        if (def['innerType']) visit(def['innerType'] as z.ZodType, path);
    }
  };
  visit(root, rootPath);
  return nodes;
}

/** An object refuses keys it does not declare. */
export const isStrictObject = (schema: z.ZodType): boolean => {
  const catchall = defOf(schema)['catchall'] as z.ZodType | undefined;
  return catchall !== undefined && defOf(catchall).type === 'never';
};

/** A string is constrained by a format or pattern (ids, dates, single-line text) or declared multiline free text. */
export const isConstrainedString = (schema: z.ZodType): boolean =>
  defOf(schema)['format'] !== undefined || checksOf(schema).some((check) => check['check'] === 'string_format') || isMultiline(schema);

/** A number has both a lower and an upper bound. */
export const isBoundedNumber = (schema: z.ZodType): boolean => {
  const checks = checksOf(schema);
  const nested = checks.flatMap((check) => ((check['checks'] as Array<{ _zod: { def: Record<string, unknown> } }> | undefined) ?? []).map((c) => c._zod.def));
  const all = [...checks, ...nested];
  return all.some((check) => check['check'] === 'greater_than') && all.some((check) => check['check'] === 'less_than');
};

/** An array or a string has a maximum length. */
export const hasMaxLength = (schema: z.ZodType): boolean => checksOf(schema).some((check) => check['check'] === 'max_length' || check['check'] === 'length_equals');

/** Whether the schema only ever produces a string (a text field at the edge of the API). */
export const typeOf = (schema: z.ZodType): string => defOf(schema).type;
