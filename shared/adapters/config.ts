import { z } from 'zod';

/**
 * The Lambdas' configuration, parsed once at cold start: a bad configuration fails loudly there.
 * The CDK API stack sets these variables; the local runtime sets them for its in-process handlers.
 */
const RuntimeConfigSchema = z.object({
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('eu-west-1'),
  /** Only in local mode and tests: DynamoDB Local's endpoint. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** `cognito` in AWS; `local` trusts the local issuer of `npm start` (never set by the CDK). */
  AUTH_MODE: z.enum(['cognito', 'local']).default('cognito'),
  COGNITO_USER_POOL_ID: z.string().optional(),
  COGNITO_CLIENT_ID: z.string().optional(),
  /** Local mode: the local issuer's public JWKS, as JSON, its issuer and the client its access tokens name. */
  LOCAL_JWKS: z.string().optional(),
  LOCAL_ISSUER: z.string().optional(),
  LOCAL_CLIENT_ID: z.string().optional(),
  /** Set by the Lambda service itself: their presence means this code runs in AWS. */
  AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
  AWS_EXECUTION_ENV: z.string().optional(),
});

export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;

export function parseRuntimeConfig(env: Record<string, string | undefined>): RuntimeConfig {
  const parsed = RuntimeConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid Lambda configuration: ${fields}`);
  }
  const config = parsed.data;
  if (config.AUTH_MODE === 'cognito' && (!config.COGNITO_USER_POOL_ID || !config.COGNITO_CLIENT_ID)) {
    throw new Error('invalid Lambda configuration: AUTH_MODE=cognito needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID');
  }
  if (config.AUTH_MODE === 'local' && (config.AWS_LAMBDA_FUNCTION_NAME !== undefined || config.AWS_EXECUTION_ENV !== undefined)) {
    // The local issuer's key sits in a developer's folder: trusting it in AWS would let anyone holding it in.
    throw new Error('invalid Lambda configuration: AUTH_MODE=local is for npm start only and is refused inside AWS Lambda');
  }
  if (config.AUTH_MODE === 'local' && (!config.LOCAL_JWKS || !config.LOCAL_ISSUER || !config.LOCAL_CLIENT_ID)) {
    throw new Error('invalid Lambda configuration: AUTH_MODE=local needs LOCAL_JWKS, LOCAL_ISSUER and LOCAL_CLIENT_ID');
  }
  return config;
}
