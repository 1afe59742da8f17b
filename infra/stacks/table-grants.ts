import { ENTITIES, TABLE_INDEXES } from '../../shared/adapters/dynamo/keys';
import type { EntityPartitions, EntityType, TableAccess, TableIndex } from '../../shared/adapters/dynamo/keys';

/**
 * How a table declaration (`table` of a route, or of a Lambda outside the route table) becomes IAM permissions.
 * Pure data, no CDK: the stack turns it into policy statements and the tests check both the template and the
 * handlers' real calls against it.
 */

/** Where a permission applies: the table itself, or one of its indexes. */
export type TableResource = 'table' | `index/${TableIndex}`;

/** One DynamoDB action (without `dynamodb:`) allowed on one resource for partition keys starting with `<prefix>#`. */
export interface TablePermission {
  readonly action: TableAction;
  readonly resource: TableResource;
  readonly prefix: string;
}

/** Every action a declaration can grant: item reads and writes that name a partition key, never Scan, Delete or Batch*. */
export const TABLE_ACTIONS = ['GetItem', 'Query', 'ConditionCheckItem', 'PutItem', 'UpdateItem'] as const;
export type TableAction = (typeof TABLE_ACTIONS)[number];

const ACTION_OF: Record<'get' | 'query' | 'check' | 'put' | 'update', TableAction> = {
  get: 'GetItem',
  query: 'Query',
  check: 'ConditionCheckItem',
  put: 'PutItem',
  update: 'UpdateItem',
};

/** The `dynamodb:LeadingKeys` pattern of a partition-key prefix: every key `<prefix>#…`, and nothing else. */
export const leadingKeysPattern = (prefix: string): string => `${prefix}#*`;

const isIndex = (name: string): name is TableIndex => (TABLE_INDEXES as readonly string[]).includes(name);

/** The permissions a declaration implies, one per (action, resource, prefix), in a stable order. */
export function tablePermissionsOf(access: TableAccess): TablePermission[] {
  const found = new Map<string, TablePermission>();
  for (const [entity, operations] of Object.entries(access) as Array<[string, readonly string[] | undefined]>) {
    if (!(entity in ENTITIES)) throw new Error(`unknown entity type ${entity}`);
    const partitions: EntityPartitions = ENTITIES[entity as EntityType];
    for (const operation of operations ?? []) {
      let permission: TablePermission;
      if (operation.startsWith('query:')) {
        const index = operation.slice('query:'.length);
        const prefix = isIndex(index) ? partitions[index] : undefined;
        if (prefix === undefined) throw new Error(`${entity} is not written to index ${index}: it cannot be queried there`);
        permission = { action: 'Query', resource: `index/${index as TableIndex}`, prefix };
      } else {
        const action = ACTION_OF[operation as keyof typeof ACTION_OF];
        if (action === undefined) throw new Error(`unknown table operation ${operation} on ${entity}`);
        permission = { action, resource: 'table', prefix: partitions.pk };
      }
      found.set(`${permission.resource} ${permission.action} ${permission.prefix}`, permission);
    }
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, permission]) => permission);
}

/** One policy statement: these actions on this resource, for partition keys matching these patterns. */
export interface TableGrant {
  readonly actions: readonly TableAction[];
  readonly resource: TableResource;
  readonly leadingKeys: readonly string[];
}

/**
 * The statements of a declaration: per resource, the actions that share exactly the same partitions are one
 * statement. Never a union of partitions across actions: `GetItem` on contracts and `PutItem` on interruptions must
 * not become both actions on both.
 */
export function tableGrantsOf(access: TableAccess): TableGrant[] {
  const prefixesOf = new Map<TableResource, Map<TableAction, Set<string>>>();
  for (const { action, resource, prefix } of tablePermissionsOf(access)) {
    const actions = prefixesOf.get(resource) ?? new Map<TableAction, Set<string>>();
    actions.set(action, (actions.get(action) ?? new Set<string>()).add(prefix));
    prefixesOf.set(resource, actions);
  }
  const grants: TableGrant[] = [];
  for (const [resource, actions] of prefixesOf) {
    const bySamePartitions = new Map<string, { actions: TableAction[]; leadingKeys: string[] }>();
    for (const [action, prefixes] of actions) {
      const leadingKeys = [...prefixes].sort().map(leadingKeysPattern);
      const group = bySamePartitions.get(leadingKeys.join(' ')) ?? { actions: [], leadingKeys };
      group.actions.push(action);
      bySamePartitions.set(leadingKeys.join(' '), group);
    }
    for (const group of bySamePartitions.values()) grants.push({ actions: [...group.actions].sort(), resource, leadingKeys: group.leadingKeys });
  }
  return grants;
}

/** The indexes a declaration queries. */
export const indexesOf = (access: TableAccess): TableIndex[] =>
  [...new Set(tablePermissionsOf(access).flatMap((p) => (p.resource === 'table' ? [] : [p.resource.slice('index/'.length) as TableIndex])))].sort();
