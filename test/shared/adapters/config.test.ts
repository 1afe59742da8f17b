import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig } from '../../../shared/adapters/config';

const cognito = { TABLE_NAME: 'vigie', COGNITO_USER_POOL_ID: 'eu-west-1_abc', COGNITO_CLIENT_ID: 'client123' };
const local = { TABLE_NAME: 'vigie', AUTH_MODE: 'local', LOCAL_JWKS: '{"keys":[]}', LOCAL_ISSUER: 'http://127.0.0.1/iss', LOCAL_CLIENT_ID: 'vigie-local' };

describe('parseRuntimeConfig', () => {
  it('defaults to Cognito in eu-west-1 and drops unrelated variables', () => {
    expect(parseRuntimeConfig({ ...cognito, PATH: '/usr/bin', HOME: '/root' })).toEqual({ ...cognito, AWS_REGION: 'eu-west-1', AUTH_MODE: 'cognito' });
  });

  it('keeps the region and the DynamoDB endpoint it is given', () => {
    const config = parseRuntimeConfig({ ...cognito, AWS_REGION: 'eu-west-3', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
    expect(config.AWS_REGION).toBe('eu-west-3');
    expect(config.DYNAMODB_ENDPOINT).toBe('http://127.0.0.1:8000');
  });

  it('accepts a complete local configuration', () => {
    expect(parseRuntimeConfig(local)).toMatchObject({ AUTH_MODE: 'local', LOCAL_ISSUER: 'http://127.0.0.1/iss', LOCAL_CLIENT_ID: 'vigie-local' });
  });

  it.each([
    ['no table', { ...cognito, TABLE_NAME: undefined }, /TABLE_NAME/],
    ['an empty table name', { ...cognito, TABLE_NAME: '' }, /TABLE_NAME/],
    ['an unknown auth mode', { ...cognito, AUTH_MODE: 'none' }, /AUTH_MODE/],
    ['an endpoint that is not a URL', { ...cognito, DYNAMODB_ENDPOINT: 'localhost' }, /DYNAMODB_ENDPOINT/],
    ['Cognito without a pool', { ...cognito, COGNITO_USER_POOL_ID: undefined }, /AUTH_MODE=cognito needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID/],
    ['Cognito without a client', { ...cognito, COGNITO_CLIENT_ID: '' }, /AUTH_MODE=cognito needs/],
    ['local mode without its JWKS', { ...local, LOCAL_JWKS: undefined }, /AUTH_MODE=local needs LOCAL_JWKS, LOCAL_ISSUER and LOCAL_CLIENT_ID/],
    ['local mode without its client id', { ...local, LOCAL_CLIENT_ID: '' }, /AUTH_MODE=local needs/],
    ['local mode inside AWS Lambda', { ...local, AWS_LAMBDA_FUNCTION_NAME: 'vigie-authorizer' }, /AUTH_MODE=local is for npm start only/],
    ['local mode in the Lambda runtime', { ...local, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' }, /refused inside AWS Lambda/],
  ])('fails loudly with %s', (_name, env, message) => {
    expect(() => parseRuntimeConfig(env)).toThrow(/^invalid Lambda configuration: /);
    expect(() => parseRuntimeConfig(env)).toThrow(message);
  });
});
