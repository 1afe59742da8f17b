import { describe, expect, it } from 'vitest';
import { ENTITIES, KEY_ATTRIBUTES, SHARED_PARTITIONS, TABLE_INDEXES, keys, withoutKeys } from '../../../../shared/adapters/dynamo/keys';
import type { EntityPartitions, EntityType } from '../../../../shared/adapters/dynamo/keys';

const ENTITY_TYPES = Object.keys(ENTITIES) as EntityType[];
const partitionsOf = (entity: EntityType): EntityPartitions => ENTITIES[entity];

describe('keys', () => {
  it('builds the documented keys of each access pattern', () => {
    expect(keys.contract('01HZ')).toEqual({ pk: 'CONTRACT#01HZ', sk: 'CONTRACT' });
    expect(keys.contractByClient('client-a', '01HZ')).toEqual({ gsi1pk: 'CLIENT#client-a', gsi1sk: 'CONTRACT#01HZ' });
    expect(keys.agent('01HA')).toEqual({ pk: 'AGENT#01HA', sk: 'AGENT' });
    expect(keys.agentByClient('client-a', '01HA')).toEqual({ gsi1pk: 'CLIENT#client-a', gsi1sk: 'AGENT#01HA' });
    expect(keys.agentKey('ab'.repeat(32))).toEqual({ pk: `AGENTKEY#${'ab'.repeat(32)}`, sk: 'AGENTKEY' });
    expect(keys.agentHost('client-a', 'srv-01')).toEqual({ pk: 'AGENT-HOSTS#client-a', sk: 'HOST#srv-01' });
    expect(keys.staffScope('tom')).toEqual({ pk: 'STAFF#tom', sk: 'SCOPE' });
    expect(keys.staffStatus('tom')).toEqual({ pk: 'STAFF-STATUS#tom', sk: 'STATUS' });
    expect(keys.interruption('01HZ', '01HI')).toEqual({ pk: 'CONTRACT-INTERRUPTIONS#01HZ', sk: 'INTERRUPTION#01HI' });
    expect(keys.interruptionsOf('01HZ')).toEqual({ pk: 'CONTRACT-INTERRUPTIONS#01HZ' });
    expect(keys.contractPeriods('client-a')).toEqual({ pk: 'CLIENT#client-a', sk: 'CONTRACT-PERIODS' });
  });

  it('gives different entities different partitions for the same id', () => {
    const pks = new Set([
      keys.contract('X').pk,
      keys.agent('X').pk,
      keys.staffScope('X').pk,
      keys.staffStatus('X').pk,
      keys.interruptionsOf('X').pk,
      keys.contractPeriods('X').pk,
    ]);
    expect(pks.size).toBe(6);
  });

  it('puts an interruption outside its contract partition, so IAM can grant one without the other', () => {
    expect(keys.interruption('01HZ', '01HI').pk).not.toBe(keys.contract('01HZ').pk);
  });
});

describe('the entity vocabulary', () => {
  // Each builder, with the entity type and the key attribute whose prefix it must carry.
  const built: Array<[EntityType, 'pk' | 'gsi1pk' | 'gsi2pk', string]> = [
    ['contract', 'pk', keys.contract('01HZ').pk],
    ['contract', 'gsi1pk', keys.contractByClient('client-a', '01HZ').gsi1pk],
    ['contract-periods', 'pk', keys.contractPeriods('client-a').pk],
    ['interruption', 'pk', keys.interruption('01HZ', '01HI').pk],
    ['interruption', 'pk', keys.interruptionsOf('01HZ').pk],
    ['agent', 'pk', keys.agent('01HA').pk],
    ['agent', 'gsi1pk', keys.agentByClient('client-a', '01HA').gsi1pk],
    ['agent-key', 'pk', keys.agentKey('ab'.repeat(32)).pk],
    ['agent-host', 'pk', keys.agentHost('client-a', 'srv-01').pk],
    ['staff-scope', 'pk', keys.staffScope('tom').pk],
    ['staff-status', 'pk', keys.staffStatus('tom').pk],
  ];

  it.each(built)('%s: the %s a builder makes starts with the vocabulary prefix and #', (entity, attribute, value) => {
    const where = attribute === 'pk' ? 'pk' : (attribute.slice(0, -2) as 'gsi1' | 'gsi2');
    expect(value.startsWith(`${partitionsOf(entity)[where]}#`)).toBe(true);
  });

  it('covers every entity type with a builder', () => {
    expect(new Set(built.map(([entity]) => entity))).toEqual(new Set(ENTITY_TYPES));
  });

  it('uses prefixes that a LeadingKeys pattern `<prefix>#*` matches exactly (no #, no IAM wildcard)', () => {
    for (const entity of ENTITY_TYPES) {
      for (const prefix of Object.values(partitionsOf(entity))) expect(prefix).toMatch(/^[A-Z][A-Z0-9-]*$/);
    }
  });

  it('keeps every entity type in partitions of its own, except the sharings SHARED_PARTITIONS explains', () => {
    const holders = new Map<string, EntityType[]>();
    for (const entity of ENTITY_TYPES) {
      for (const [where, prefix] of Object.entries(partitionsOf(entity))) {
        const key = `${where === 'pk' ? 'table' : where} ${prefix}`;
        holders.set(key, [...(holders.get(key) ?? []), entity]);
      }
    }
    const shared = [...holders].filter(([, entities]) => entities.length > 1).map(([key, entities]) => `${key}: ${[...entities].sort().join(', ')}`);
    const explained = SHARED_PARTITIONS.map((s) => `${s.in} ${s.prefix}: ${[...s.entities].sort().join(', ')}`);
    expect(shared.sort()).toEqual(explained.sort());
    for (const sharing of SHARED_PARTITIONS) expect(sharing.reason.length).toBeGreaterThan(20);
  });

  it('names only indexes the table has', () => {
    for (const entity of ENTITY_TYPES) {
      for (const where of Object.keys(partitionsOf(entity))) expect(['pk', ...TABLE_INDEXES]).toContain(where);
    }
  });
});

describe('withoutKeys', () => {
  it('strips every key attribute and the entity tag, and nothing else', () => {
    const item = { pk: 'a', sk: 'b', gsi1pk: 'c', gsi1sk: 'd', gsi2pk: 'e', gsi2sk: 'f', entity: 'contract', id: '01HZ', version: 2 };
    expect(withoutKeys(item)).toEqual({ id: '01HZ', version: 2 });
    expect(KEY_ATTRIBUTES).toHaveLength(7);
  });

  it('does not modify the item it is given', () => {
    const item = { pk: 'a', id: '1' };
    withoutKeys(item);
    expect(item).toEqual({ pk: 'a', id: '1' });
  });
});
