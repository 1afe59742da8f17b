import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConcurrentUpdateError,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PreconditionRequiredError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../shared/domain/errors';
import { mapError } from '../../../shared/http/errors';
import { InvalidInstantError, UnknownCalendarError } from '../../../shared/domain/calendar';
import { buildSlaReport } from '../../../shared/domain/sla';
import { ErrorBodySchema } from '../../../shared/schemas/common';

const details = [{ path: 'startDate', message: 'overlaps' }];

describe('mapError', () => {
  it.each([
    [new ValidationError('bad', details), 400, 'ValidationError'],
    [new ForbiddenError('no', details), 403, 'Forbidden'],
    [new NotFoundError('gone', details), 404, 'NotFound'],
    [new ConflictError('clash', details), 409, 'Conflict'],
    [new UnsupportedMediaTypeError('send JSON', details), 415, 'UnsupportedMediaType'],
    [new PreconditionRequiredError('if-match', details), 428, 'PreconditionRequired'],
    [new ServiceUnavailableError('the table is busy; try again', details), 503, 'ServiceUnavailable'],
  ])('maps %s to its status with {error, message, details}', (error, status, code) => {
    const mapped = mapError(error);
    expect(mapped).toEqual({ statusCode: status, body: { error: code, message: error.message, details }, unexpected: false });
    expect(ErrorBodySchema.parse(mapped.body)).toEqual(mapped.body);
  });

  it('maps the calendar and SLA domain errors to 400 with their own codes', () => {
    expect(mapError(new UnknownCalendarError('unknown calendar "nope"')).body).toEqual({ error: 'UnknownCalendar', message: 'unknown calendar "nope"', details: [] });
    expect(mapError(new InvalidInstantError('bad instant')).statusCode).toBe(400);
    let thrown: unknown;
    try {
      buildSlaReport({ terms: { monthlyFeeCents: -1, startDate: '2026-01-01' }, interruptions: [], year: 2026, asOf: new Date('2026-06-01T00:00:00Z') });
    } catch (error) {
      thrown = error;
    }
    const mapped = mapError(thrown);
    expect(mapped.statusCode).toBe(400);
    expect(mapped.body.error).toBe('InvalidSlaInput');
    expect(mapped.body.details.map((d) => d.path)).toContain('monthlyFeeCents');
  });

  it('treats a bare ZodError (our own stored data no longer fitting its schema) as a masked 500, not a client error', () => {
    let thrown: unknown;
    try {
      z.object({ version: z.number() }).parse({ version: 'one' });
    } catch (error) {
      thrown = error;
    }
    const mapped = mapError(thrown);
    expect(mapped.statusCode).toBe(500);
    expect(mapped.unexpected).toBe(true);
    expect(JSON.stringify(mapped.body)).not.toContain('version');
  });

  it.each([
    ['a plain Error', new Error('connect ECONNREFUSED 10.0.0.1:443 at /var/task/index.js')],
    ['a string', 'boom'],
    ['undefined', undefined],
    ['an AWS-like error with a status', Object.assign(new Error('ProvisionedThroughputExceeded'), { $metadata: { httpStatusCode: 400 } })],
  ])('masks %s as a 500 that reveals nothing', (_name, error) => {
    const mapped = mapError(error);
    expect(mapped).toEqual({
      statusCode: 500,
      body: { error: 'InternalError', message: 'an unexpected error occurred; it has been logged', details: [] },
      unexpected: true,
    });
  });

  it('masks a DomainError it has no status for as a 500', () => {
    class QuotaExceededError extends DomainError {
      readonly code = 'QuotaExceeded';
    }
    const mapped = mapError(new QuotaExceededError('over quota'));
    expect(mapped.statusCode).toBe(500);
    expect(mapped.unexpected).toBe(true);
    expect(JSON.stringify(mapped.body)).not.toContain('over quota');
  });

  it('uses the status of the parent type for a subclass of a mapped error', () => {
    class StaleEtagError extends ConflictError {}
    expect(mapError(new StaleEtagError('stale')).statusCode).toBe(409);
  });

  it('answers a concurrent update that outlived its retries as a plain 409 Conflict', () => {
    const mapped = mapError(new ConcurrentUpdateError('the contracts of client c changed meanwhile; try again'));
    expect(mapped).toEqual({
      statusCode: 409,
      body: { error: 'Conflict', message: 'the contracts of client c changed meanwhile; try again', details: [] },
      unexpected: false,
    });
  });
});
