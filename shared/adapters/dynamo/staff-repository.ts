import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StaffScopeSchema, type StaffScope } from '../../schemas/principal';
import type { StaffScopeRepository } from '../../ports/repositories';
import { keys, withoutKeys } from './keys';

export class DynamoStaffScopeRepository implements StaffScopeRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<StaffScope | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.staffScope(userId), ConsistentRead: true }));
    return Item ? StaffScopeSchema.parse(withoutKeys(Item)) : undefined;
  }

  async put(scope: StaffScope): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.staffScope(scope.userId), entity: 'staff-scope', ...scope } }));
  }
}
