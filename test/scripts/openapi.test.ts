import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../scripts/openapi';
import { REPO_ROOT } from '../../infra/local/paths';
import { ROUTES } from '../../shared/http/routes';

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('documents every route of the route table', () => {
    for (const route of ROUTES) {
      const operation = (document.paths?.[route.path] as Record<string, { operationId?: string }> | undefined)?.[route.method.toLowerCase()];
      expect(operation?.operationId, `${route.method} ${route.path}`).toBe(route.handler);
    }
  });

  it('derives the contract schema from zod (required fields, formats)', () => {
    const input = document.components?.schemas?.['ContractInput'] as { required?: string[]; properties?: Record<string, { format?: string }> };
    expect(input.required).toEqual(expect.arrayContaining(['clientId', 'clientNumber', 'contractNumber', 'startDate', 'modules', 'contacts', 'alerting']));
    expect(input.properties?.['startDate']?.format).toBe('date');
  });

  it('is the committed docs/openapi.json (run `npm run docs:openapi` after changing a schema)', async () => {
    const committed = JSON.parse(await readFile(join(REPO_ROOT, 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
