import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

export const text = (statusCode: number, body: string, contentType: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': contentType, ...headers },
  body,
});
