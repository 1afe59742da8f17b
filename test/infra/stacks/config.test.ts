import { describe, expect, it } from 'vitest';
import { InvalidConfigError, loadConfig } from '../../../infra/config';

const reader =
  (context: Record<string, unknown>) =>
  (key: string): unknown =>
    context[key];

const VALID = {
  'vigie:mailDomain': 'alertes.example.fr',
  'vigie:senderAddress': 'vigie@alertes.example.fr',
  'vigie:publicApiDomain': 'api.vigie.example.fr',
};

describe('loadConfig (CDK context)', () => {
  it('reads the context and defaults the region to eu-west-1, where SES receives mail', () => {
    expect(loadConfig(reader(VALID))).toEqual({
      region: 'eu-west-1',
      mailDomain: 'alertes.example.fr',
      senderAddress: 'vigie@alertes.example.fr',
      publicApiDomain: 'api.vigie.example.fr',
    });
  });

  it('takes an explicit region', () => {
    expect(loadConfig(reader({ ...VALID, 'vigie:region': 'us-east-1' })).region).toBe('us-east-1');
  });

  it('names every missing key and how to set it', () => {
    const attempt = () => loadConfig(reader({}));
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/vigie:mailDomain/);
    expect(attempt).toThrow(/vigie:senderAddress/);
    expect(attempt).toThrow(/vigie:publicApiDomain/);
    expect(attempt).toThrow(/-c vigie:mailDomain=/);
  });

  it.each([
    ['vigie:region', 'Ireland'],
    ['vigie:mailDomain', 'https://alertes.example.fr'],
    ['vigie:publicApiDomain', 'api.vigie.example.fr/v1'],
    ['vigie:senderAddress', 'not-a-mail'],
  ])('rejects a bad %s', (key, value) => {
    expect(() => loadConfig(reader({ ...VALID, [key]: value }))).toThrow(new RegExp(key));
  });

  it('treats an empty value as missing', () => {
    expect(() => loadConfig(reader({ ...VALID, 'vigie:mailDomain': '' }))).toThrow(/vigie:mailDomain: mailDomain is required/);
  });

  it('requires the sender to belong to the mail domain SES verifies', () => {
    expect(() => loadConfig(reader({ ...VALID, 'vigie:senderAddress': 'vigie@gmail.com' }))).toThrow(/vigie:senderAddress: .*alertes\.example\.fr/);
    expect(loadConfig(reader({ ...VALID, 'vigie:senderAddress': 'noreply@notify.alertes.example.fr' })).senderAddress).toBe(
      'noreply@notify.alertes.example.fr',
    );
  });
});
