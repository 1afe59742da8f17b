import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoSettings {
  region: string;
  endpoint?: string | undefined;
}

/** A DynamoDB client; with an endpoint (DynamoDB Local) it signs with throwaway local credentials. */
export const createDynamoClient = (settings: DynamoSettings): DynamoDBClient =>
  new DynamoDBClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });

export function createDocumentClient(settings: DynamoSettings): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(settings), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
