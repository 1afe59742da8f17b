import { GetCommand, PutCommand, TransactGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StaffScopeSchema, StaffStatusSchema, type StaffScope, type StaffStatus } from '../../schemas/principal';
import type { StaffAccess, StaffRepository, StaffStatusChange } from '../../ports/repositories';
import { keys, withoutKeys } from './keys';

/** What each status change writes, besides who and when. */
const STATUS_UPDATES: Record<StaffStatusChange['action'], { set: string[]; remove: string[] }> = {
  disable: { set: ['disabledAt = :at', 'disabledBy = :by', 'tokensNotBefore = :at'], remove: [] },
  enable: { set: [], remove: ['disabledAt', 'disabledBy'] },
  'sign-out': { set: ['tokensNotBefore = :at'], remove: [] },
};

function statusUpdateExpression(action: StaffStatusChange['action']): string {
  const { set, remove } = STATUS_UPDATES[action];
  const assignments = ['entity = :entity', 'userId = :user', 'updatedAt = :at', 'updatedBy = :by', ...set];
  return `SET ${assignments.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`;
}

/** A staff member's scope and status: two items in partitions of their own (a scope write cannot touch a status). */
export class DynamoStaffRepository implements StaffRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getScope(userId: string): Promise<StaffScope | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.staffScope(userId), ConsistentRead: true }));
    return Item ? StaffScopeSchema.parse(withoutKeys(Item)) : undefined;
  }

  async putScope(scope: StaffScope): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.staffScope(scope.userId), entity: 'staff-scope', ...scope } }));
  }

  async getStatus(userId: string): Promise<StaffStatus | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.staffStatus(userId), ConsistentRead: true }));
    return Item ? StaffStatusSchema.parse(withoutKeys(Item)) : undefined;
  }

  async updateStatus(userId: string, change: StaffStatusChange): Promise<StaffStatus> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.staffStatus(userId),
        UpdateExpression: statusUpdateExpression(change.action),
        ExpressionAttributeValues: { ':entity': 'staff-status', ':user': userId, ':at': change.at, ':by': change.by },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return StaffStatusSchema.parse(withoutKeys(Attributes ?? {}));
  }

  /** Both items in one TransactGetItems: one round trip, and reads in a transaction are strongly consistent. */
  async accessOf(userId: string): Promise<StaffAccess> {
    const { Responses = [] } = await this.db.send(
      new TransactGetCommand({
        TransactItems: [{ Get: { TableName: this.tableName, Key: keys.staffScope(userId) } }, { Get: { TableName: this.tableName, Key: keys.staffStatus(userId) } }],
      }),
    );
    const [scope, status] = Responses.map((response) => response?.Item);
    return {
      scope: scope ? StaffScopeSchema.parse(withoutKeys(scope)) : undefined,
      status: status ? StaffStatusSchema.parse(withoutKeys(status)) : undefined,
    };
  }
}
