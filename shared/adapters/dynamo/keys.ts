/**
 * The single table's key builders, in one place. Access patterns:
 *  1. contract by id                     pk CONTRACT#<id>          sk CONTRACT
 *  2. contracts of a client, oldest first gsi1pk CLIENT#<clientId> gsi1sk CONTRACT#<id>   (ids are ULIDs)
 *  3. agent by id                         pk AGENT#<agentId>        sk AGENT
 *  4. agents of a client                  gsi1pk CLIENT#<clientId>  gsi1sk AGENT#<agentId>
 *  5. agent by key hash                   gsi2pk AGENTKEY#<sha256>  gsi2sk AGENTKEY  (then a consistent read of 3)
 *  6. staff scope by user                 pk STAFF#<userId>         sk SCOPE
 *  7. interruptions of a contract, oldest first  pk CONTRACT#<id>  sk begins_with INTERRUPTION#  (ids are ULIDs)
 *  8. periods of a client's contracts   pk CLIENT#<clientId>      sk CONTRACT-PERIODS  (the "one contract at a time"
 *     guard, read strongly consistently and written in the same transaction as each contract; not in gsi1)
 * No mutable attribute is part of a key.
 */
export const keys = {
  contract: (id: string) => ({ pk: `CONTRACT#${id}`, sk: 'CONTRACT' }),
  contractByClient: (clientId: string, id: string) => ({ gsi1pk: `CLIENT#${clientId}`, gsi1sk: `CONTRACT#${id}` }),
  agent: (agentId: string) => ({ pk: `AGENT#${agentId}`, sk: 'AGENT' }),
  agentByClient: (clientId: string, agentId: string) => ({ gsi1pk: `CLIENT#${clientId}`, gsi1sk: `AGENT#${agentId}` }),
  agentByKeyHash: (keyHash: string) => ({ gsi2pk: `AGENTKEY#${keyHash}`, gsi2sk: 'AGENTKEY' }),
  staffScope: (userId: string) => ({ pk: `STAFF#${userId}`, sk: 'SCOPE' }),
  interruption: (contractId: string, interruptionId: string) => ({ pk: `CONTRACT#${contractId}`, sk: `INTERRUPTION#${interruptionId}` }),
  contractPeriods: (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'CONTRACT-PERIODS' }),
} as const;

export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity'] as const;

/** Strips the key attributes from an item before it is parsed as an entity. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy;
}
