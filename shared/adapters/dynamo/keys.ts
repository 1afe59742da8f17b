/**
 * The single table's key builders and its entity vocabulary, in one place. Access patterns:
 *  1. contract by id                     pk CONTRACT#<id>          sk CONTRACT
 *  2. contracts of a client, oldest first gsi1pk CLIENT#<clientId> gsi1sk CONTRACT#<id>   (ids are ULIDs)
 *  3. agent by id                         pk AGENT#<agentId>        sk AGENT
 *  4. agents of a client                  gsi1pk CLIENT#<clientId>  gsi1sk AGENT#<agentId>
 *  5. agent by key hash                   pk AGENTKEY#<sha256>      sk AGENTKEY  → agentId (then a consistent read of 3);
 *     one item per key ever issued, never changed: whether the key still opens the agent is the agent's to say
 *  5b. active agent of a client's host     pk AGENT-HOSTS#<clientId> sk HOST#<host>  → agentId while one is active (the
 *     "one active agent per host" guard, written in the same transaction as the agent; host names in lower case)
 *  6. staff scope by user                 pk STAFF#<userId>         sk SCOPE
 *  6b. staff status by user (disabled, tokens not before)  pk STAFF-STATUS#<userId>  sk STATUS; the authorizer reads
 *      6 and 6b in one TransactGetItems (one consistent round trip; apart, so a scope write cannot touch a status)
 *  7. interruptions of a contract, oldest first  pk CONTRACT-INTERRUPTIONS#<contractId>  sk begins_with INTERRUPTION#
 *     (ids are ULIDs; a partition of their own, not the contract's: see ENTITIES)
 *  8. periods of a client's contracts   pk CLIENT#<clientId>      sk CONTRACT-PERIODS  (the "one contract at a time"
 *     guard, read strongly consistently and written in the same transaction as each contract; not in gsi1)
 * No mutable attribute is part of a key.
 */

/** The table's global secondary indexes (`<name>pk` / `<name>sk`, projection ALL). */
export const TABLE_INDEXES = ['gsi1', 'gsi2'] as const;
export type TableIndex = (typeof TABLE_INDEXES)[number];

/** Where the items of one entity type live: the prefix (before `#`) of their partition key in the table and in each index they are written to. */
export type EntityPartitions = { readonly pk: string } & { readonly [I in TableIndex]?: string };

/**
 * Every entity type of the table (the `entity` attribute of its items) and its partition-key prefixes.
 *
 * IAM can tell items apart only by partition key (`dynamodb:LeadingKeys`), so the prefix is what a grant names:
 * a Lambda allowed to write `CONTRACT-INTERRUPTIONS#*` cannot write a contract, an agent or a staff scope. Two entity
 * types in one partition cannot be told apart by IAM; that is allowed only where SHARED_PARTITIONS says so.
 */
export const ENTITIES = {
  contract: { pk: 'CONTRACT', gsi1: 'CLIENT' },
  'contract-periods': { pk: 'CLIENT' },
  interruption: { pk: 'CONTRACT-INTERRUPTIONS' },
  agent: { pk: 'AGENT', gsi1: 'CLIENT' },
  'agent-key': { pk: 'AGENTKEY' },
  'agent-host': { pk: 'AGENT-HOSTS' },
  'staff-scope': { pk: 'STAFF' },
  'staff-status': { pk: 'STAFF-STATUS' },
} as const satisfies Record<string, EntityPartitions>;

export type EntityType = keyof typeof ENTITIES;

/** The indexes an entity type is written to (and so may be looked up through). */
export type IndexOf<E extends EntityType> = Extract<keyof (typeof ENTITIES)[E], TableIndex>;

/**
 * Partitions that hold several entity types on purpose, with the reason. Whoever may use one of them there may use
 * the others the same way; a new sharing is a reviewed change of this list (the keys test compares it with ENTITIES).
 */
export const SHARED_PARTITIONS: ReadonlyArray<{ in: 'table' | TableIndex; prefix: string; entities: readonly EntityType[]; reason: string }> = [
  {
    in: 'gsi1',
    prefix: 'CLIENT',
    entities: ['contract', 'agent'],
    reason: "indexes are read-only: a Lambda that may list a client's contracts through gsi1 may also read its agents there",
  },
];

/**
 * What a Lambda does to the items of one entity type; each is one DynamoDB action on the entity's partitions:
 *  - `get`: GetItem (also a Get in TransactGetItems), in the table;
 *  - `query`: Query of a table partition;
 *  - `check`: a ConditionCheck in TransactWriteItems (ConditionCheckItem);
 *  - `put`: PutItem, alone or as a Put in TransactWriteItems;
 *  - `update`: UpdateItem, alone or as an Update in TransactWriteItems;
 *  - `query:<index>`: Query of the index's partition (only an index the entity is written to).
 * There is no delete and no batch: nothing deletes or batches today, so no Lambda may; adding one is a change here.
 */
export type TableOperation<E extends EntityType> = 'get' | 'query' | 'check' | 'put' | 'update' | `query:${IndexOf<E>}`;

/** A Lambda's use of the table, by entity type, e.g. `{ contract: ['get'], interruption: ['get', 'update'] }`. */
export type TableAccess = { readonly [E in EntityType]?: readonly TableOperation<E>[] };

const partitionKey = (prefix: string, id: string) => `${prefix}#${id}`;

export const keys = {
  contract: (id: string) => ({ pk: partitionKey(ENTITIES.contract.pk, id), sk: 'CONTRACT' }),
  contractByClient: (clientId: string, id: string) => ({ gsi1pk: partitionKey(ENTITIES.contract.gsi1, clientId), gsi1sk: `CONTRACT#${id}` }),
  agent: (agentId: string) => ({ pk: partitionKey(ENTITIES.agent.pk, agentId), sk: 'AGENT' }),
  agentByClient: (clientId: string, agentId: string) => ({ gsi1pk: partitionKey(ENTITIES.agent.gsi1, clientId), gsi1sk: `AGENT#${agentId}` }),
  agentKey: (keyHash: string) => ({ pk: partitionKey(ENTITIES['agent-key'].pk, keyHash), sk: 'AGENTKEY' }),
  agentHost: (clientId: string, host: string) => ({ pk: partitionKey(ENTITIES['agent-host'].pk, clientId), sk: `HOST#${host}` }),
  staffScope: (userId: string) => ({ pk: partitionKey(ENTITIES['staff-scope'].pk, userId), sk: 'SCOPE' }),
  staffStatus: (userId: string) => ({ pk: partitionKey(ENTITIES['staff-status'].pk, userId), sk: 'STATUS' }),
  /** The partition of a contract's interruptions (access pattern 7). */
  interruptionsOf: (contractId: string) => ({ pk: partitionKey(ENTITIES.interruption.pk, contractId) }),
  interruption: (contractId: string, interruptionId: string) => ({ pk: partitionKey(ENTITIES.interruption.pk, contractId), sk: `INTERRUPTION#${interruptionId}` }),
  contractPeriods: (clientId: string) => ({ pk: partitionKey(ENTITIES['contract-periods'].pk, clientId), sk: 'CONTRACT-PERIODS' }),
} as const;

export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity'] as const;

/** Strips the key attributes from an item before it is parsed as an entity. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy;
}
