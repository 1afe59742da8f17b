import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; never log keys, plaintext data or mail bodies. */
export const logger = new Logger({ serviceName: 'vigie' });
