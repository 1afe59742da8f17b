import type { z } from 'zod';

/** Terms, interruptions or year that do not satisfy the SLA schemas; `cause` is the ZodError. */
export class InvalidSlaInputError extends Error {
  readonly code = 'InvalidSlaInput';
  readonly issues: ReadonlyArray<{ path: string; message: string }>;

  constructor(what: string, error: z.ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    super(`invalid ${what}: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`, {
      cause: error,
    });
    this.name = 'InvalidSlaInputError';
    this.issues = issues;
  }
}
