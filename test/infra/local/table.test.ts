import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../../shared/adapters/dynamo/client';
import { describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../../infra/local/table';
import { STATEFUL_LOGICAL_IDS } from '../../../infra/stacks/stateful-stack';
import { synthesizeApp } from '../stacks/fixture';

interface KeyElement {
  AttributeName: string;
  KeyType: string;
}

const byName = <T extends { IndexName?: string | undefined }>(items: T[] | undefined) =>
  [...(items ?? [])].sort((a, b) => (a.IndexName ?? '').localeCompare(b.IndexName ?? ''));

describe('the local table', () => {
  it('has the key schema, indexes and TTL of the stateful stack table', async () => {
    const template = synthesizeApp().statefulTemplate.toJSON() as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    const deployed = template.Resources[STATEFUL_LOGICAL_IDS.table]!.Properties as {
      KeySchema: KeyElement[];
      GlobalSecondaryIndexes: Array<{ IndexName: string; KeySchema: KeyElement[]; Projection: { ProjectionType: string } }>;
      TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
    };

    const endpoint = inject('dynamoEndpoint');
    const tableName = `vigie-shape-${randomUUID()}`;
    await ensureTable(endpoint, tableName);
    await ensureTable(endpoint, tableName); // idempotent at every start
    const client = createDynamoClient({ endpoint, region: 'eu-west-1' });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    client.destroy();

    expect(Table?.KeySchema).toEqual(deployed.KeySchema);
    expect(byName(Table?.GlobalSecondaryIndexes).map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection }))).toEqual(
      byName(deployed.GlobalSecondaryIndexes).map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })),
    );
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(deployed.TimeToLiveSpecification.AttributeName);
  });
});
