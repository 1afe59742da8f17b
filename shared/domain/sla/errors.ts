import type { z } from 'zod';
import { ValidationError } from '../errors';

/** Terms, interruptions or year that do not satisfy the SLA schemas; `cause` is the ZodError. */
export class InvalidSlaInputError extends ValidationError {
  override readonly code = 'InvalidSlaInput';

  constructor(what: string, error: z.ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
    super(`invalid ${what}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, issues, { cause: error });
  }

  /** The offending fields (the same list as `details`). */
  get issues(): ReadonlyArray<{ path: string; message: string }> {
    return this.details;
  }
}
