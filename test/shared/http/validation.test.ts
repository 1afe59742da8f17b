import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssue, issuesToDetails } from '../../../shared/http/validation';
import { IsoDateSchema, IsoInstantSchema } from '../../../shared/schemas/common';

const detailsOf = (schema: z.ZodType, value: unknown, where?: string) => {
  const result = schema.safeParse(value, { error: describeIssue });
  expect(result.success).toBe(false);
  return issuesToDetails(result.error!, where);
};

describe('issuesToDetails', () => {
  it('names each field by its dotted path, under where', () => {
    const schema = z.object({ modules: z.object({ hosting: z.object({ monthlyFeeCents: z.number().int().min(0) }) }), tags: z.array(z.string()) });
    expect(detailsOf(schema, { modules: { hosting: { monthlyFeeCents: -5 } }, tags: ['ok', 3] }, 'body').map((d) => d.path)).toEqual([
      'body.modules.hosting.monthlyFeeCents',
      'body.tags.1',
    ]);
  });

  it('names a root-level issue "(root)", or where', () => {
    expect(detailsOf(z.string(), 3)).toEqual([{ path: '(root)', message: 'must be a string' }]);
    expect(detailsOf(z.string(), 3, 'body')).toEqual([{ path: 'body', message: 'must be a string' }]);
  });

  it('names each unknown key at its own path, at any depth', () => {
    const schema = z.strictObject({ hosting: z.strictObject({ gtrMinutes: z.number().optional() }) });
    expect(detailsOf(schema, { hosting: { gtrMinute: 60, imsHour: 1 } }, 'body')).toEqual([
      { path: 'body.hosting.gtrMinute', message: 'unknown field' },
      { path: 'body.hosting.imsHour', message: 'unknown field' },
    ]);
  });

  it('says "must be a finite number" for 1e400, not "expected number, received number"', () => {
    expect(detailsOf(z.strictObject({ fee: z.number().int().max(100_000_000) }), JSON.parse('{"fee":1e400}'))).toEqual([
      { path: 'fee', message: 'must be a finite number' },
    ]);
  });

  it('gives one detail per field, with the bound the schema states rather than the safe-integer one', () => {
    expect(detailsOf(z.strictObject({ fee: z.number().int().min(0).max(100_000_000) }), { fee: 1e20 })).toEqual([{ path: 'fee', message: 'must be at most 100000000' }]);
    expect(detailsOf(z.strictObject({ n: z.number().int() }), { n: 1e20 })).toEqual([{ path: 'n', message: 'must be at most 9007199254740991' }]);
  });

  it('gives one detail, in our words, for an impossible date or instant', () => {
    expect(detailsOf(z.strictObject({ d: IsoDateSchema }), { d: '2026-02-30' })).toEqual([{ path: 'd', message: 'a date such as 2026-03-02 (YYYY-MM-DD, a day of the calendar)' }]);
    expect(detailsOf(z.strictObject({ t: IsoInstantSchema }), { t: '2026-02-30T10:00:00+01:00' })).toEqual([
      { path: 't', message: expect.stringMatching(/^an instant in ISO-8601/) },
    ]);
    expect(detailsOf(z.strictObject({ t: IsoInstantSchema }), { t: '2026-03-02T10:00:00.123456Z' })).toEqual([
      { path: 't', message: expect.stringContaining('at most milliseconds') },
    ]);
  });

  it('words the common problems plainly', () => {
    const schema = z.strictObject({
      name: z.string().min(1).max(3),
      kind: z.enum(['a', 'b']),
      list: z.array(z.string()).min(1).max(2),
      mail: z.email(),
      flag: z.boolean(),
    });
    expect(detailsOf(schema, { name: 'abcd', kind: 'c', list: [], mail: 'x', flag: 'yes' })).toEqual([
      { path: 'name', message: 'must be at most 3 characters long' },
      { path: 'kind', message: 'must be one of "a", "b"' },
      { path: 'list', message: 'must list at least one item' },
      { path: 'mail', message: 'must be an e-mail address' },
      { path: 'flag', message: 'must be true or false' },
    ]);
    expect(detailsOf(schema, {})[0]).toEqual({ path: 'name', message: 'required' });
  });

  it('keeps the messages a schema states itself', () => {
    expect(detailsOf(z.string().regex(/^x$/, 'an x'), 'y')).toEqual([{ path: '(root)', message: 'an x' }]);
  });
});
