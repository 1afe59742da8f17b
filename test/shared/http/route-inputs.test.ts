import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTE_INPUTS, type RouteInput } from '../../../shared/http/route-inputs';
import { ROUTES, routeKey } from '../../../shared/http/routes';
import { hasMaxLength, isBoundedNumber, isConstrainedString, isStrictObject, walkSchema, type SchemaNode } from '../../support/schema-walk';

/** Every schema any route accepts input with, at every depth, named `<route> <part>.<path>`. */
function everyInputNode(): Array<SchemaNode & { where: string }> {
  return ROUTES.flatMap((route) => {
    const input: RouteInput = ROUTE_INPUTS[route.handler as keyof typeof ROUTE_INPUTS];
    const parts: Array<[string, z.ZodType | undefined]> = [
      ['path', input.path],
      ['query', input.query],
      ['body', input.body?.schema],
    ];
    return parts.flatMap(([part, schema]) => (schema ? walkSchema(schema, part).map((node) => ({ ...node, where: `${routeKey(route)} ${node.path}` })) : []));
  });
}

describe('route inputs', () => {
  it('declares the inputs of every route of the route table, and of nothing else', () => {
    expect(Object.keys(ROUTE_INPUTS).sort()).toEqual(ROUTES.map((route) => route.handler).sort());
  });

  it('the walk reaches deep into the contract body (a check on the checker)', () => {
    const paths = everyInputNode().map((node) => node.where);
    expect(paths).toContain('POST /v1/contracts body.modules.hosting.feeChanges.[].effectiveMonth');
    expect(paths).toContain('POST /v1/contracts body.calendars.[].windows.[].start');
    expect(paths).toContain('GET /v1/contracts query.limit');
  });

  it('the checks catch what they look for (a check on the checker)', () => {
    const nodes = walkSchema(z.strictObject({ a: z.object({ b: z.string(), n: z.number().min(0), list: z.array(z.int().min(0).max(3)) }).optional() }));
    expect(nodes.filter((node) => node.type === 'object' && !isStrictObject(node.schema)).map((node) => node.path)).toEqual(['a']);
    expect(nodes.filter((node) => node.type === 'string' && !isConstrainedString(node.schema)).map((node) => node.path)).toEqual(['a.b']);
    expect(nodes.filter((node) => node.type === 'number' && !isBoundedNumber(node.schema)).map((node) => node.path)).toEqual(['a.n']);
    expect(nodes.filter((node) => node.type === 'array' && !hasMaxLength(node.schema)).map((node) => node.path)).toEqual(['a.list']);
  });

  it('makes every object strict, at every depth: an unknown or misspelt key is a 400, never a default', () => {
    const loose = everyInputNode().filter((node) => node.type === 'object' && !isStrictObject(node.schema));
    expect(loose.map((node) => node.where)).toEqual([]);
  });

  it('gives every text field a pattern, a format or the free-text policy (single-line fields refuse tab and line feed)', () => {
    const unconstrained = everyInputNode().filter((node) => node.type === 'string' && !isConstrainedString(node.schema));
    expect(unconstrained.map((node) => node.where)).toEqual([]);
  });

  it('bounds every number and caps the length of every string and array', () => {
    const nodes = everyInputNode();
    expect(nodes.filter((node) => node.type === 'number' && !isBoundedNumber(node.schema)).map((node) => node.where)).toEqual([]);
    const unbounded = nodes.filter(
      (node) => (node.type === 'array' || (node.type === 'string' && !isConstrainedString(node.schema))) && !hasMaxLength(node.schema),
    );
    expect(unbounded.map((node) => node.where)).toEqual([]);
  });
});
