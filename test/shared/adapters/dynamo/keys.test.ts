import { describe, expect, it } from 'vitest';
import { KEY_ATTRIBUTES, keys, withoutKeys } from '../../../../shared/adapters/dynamo/keys';

describe('keys', () => {
  it('builds the documented keys of each access pattern', () => {
    expect(keys.contract('01HZ')).toEqual({ pk: 'CONTRACT#01HZ', sk: 'CONTRACT' });
    expect(keys.contractByClient('client-a', '01HZ')).toEqual({ gsi1pk: 'CLIENT#client-a', gsi1sk: 'CONTRACT#01HZ' });
    expect(keys.agent('01HA')).toEqual({ pk: 'AGENT#01HA', sk: 'AGENT' });
    expect(keys.agentByClient('client-a', '01HA')).toEqual({ gsi1pk: 'CLIENT#client-a', gsi1sk: 'AGENT#01HA' });
    expect(keys.agentByKeyHash('ab'.repeat(32))).toEqual({ gsi2pk: `AGENTKEY#${'ab'.repeat(32)}`, gsi2sk: 'AGENTKEY' });
    expect(keys.staffScope('tom')).toEqual({ pk: 'STAFF#tom', sk: 'SCOPE' });
  });

  it('gives different entities different partitions for the same id', () => {
    const pks = new Set([keys.contract('X').pk, keys.agent('X').pk, keys.staffScope('X').pk]);
    expect(pks.size).toBe(3);
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
