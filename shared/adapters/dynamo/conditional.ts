import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../domain/errors';

/** Runs a conditional write; a failed condition becomes what `onConditionFailed` returns (or throws). */
export async function conditionalWrite<T, F>(write: () => Promise<T>, onConditionFailed: (cause: ConditionalCheckFailedException) => F): Promise<T | F> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return onConditionFailed(error);
    throw error;
  }
}

/** The usual answer to a failed condition: a ConflictError that keeps the DynamoDB error as its cause. */
export const conflict =
  (message: string) =>
  (cause: unknown): never => {
    throw new ConflictError(message, [], { cause });
  };
