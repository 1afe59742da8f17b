import { describe, expect, it } from 'vitest';
import { AgentKeyRejectedError, ApiError, VigieApi } from '../../../agent/src/backend/api-client';
import { RetriesExhaustedError } from '../../../agent/src/backend/retry';
import type { Fetch } from '../../../agent/src/backend/http';

const me = { agentId: '01HZ0000000000000000000002', clientId: 'acme', host: 'srv-01' };

function scripted(...answers: Array<Response | Error>) {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  const fetch: Fetch = async (url, init) => {
    seen.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, seen };
}

const api = (fetch: Fetch) => new VigieApi({ baseUrl: 'http://127.0.0.1:3000/', apiKey: 'vigie_key', fetch, retry: { attempts: 3, baseMs: 1, capMs: 1 } });
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('VigieApi', () => {
  it('sends the key as a bearer token and parses the answer', async () => {
    const { fetch, seen } = scripted(json(200, me));
    expect(await api(fetch).whoAmI()).toEqual(me);
    expect(seen[0]?.url).toBe('http://127.0.0.1:3000/v1/agent');
    expect((seen[0]?.init.headers as Record<string, string>)['authorization']).toBe('Bearer vigie_key');
  });

  it('retries 503 and dropped connections, then succeeds', async () => {
    const { fetch, seen } = scripted(new TypeError('fetch failed'), json(503, { message: 'Service Unavailable' }), json(200, me));
    expect(await api(fetch).whoAmI()).toEqual(me);
    expect(seen).toHaveLength(3);
  });

  it('gives up after its attempts', async () => {
    const { fetch } = scripted(json(500, {}), json(502, {}), json(504, {}));
    await expect(api(fetch).whoAmI()).rejects.toBeInstanceOf(RetriesExhaustedError);
  });

  it("turns the API's {error, message, details} into an ApiError, and a refused key into AgentKeyRejectedError, without retrying", async () => {
    const conflict = scripted(json(409, { error: 'Conflict', message: '3 pack(s) are missing', details: [{ path: 'packs.ab', message: 'missing' }] }));
    const error = (await api(conflict.fetch).commit(me, '01HZ0000000000000000000009', { manifest: { id: 'a'.repeat(64), size: 1 }, figures: {} as never }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'Conflict', details: [{ path: 'packs.ab', message: 'missing' }] });
    expect(conflict.seen).toHaveLength(1);
    const refused = scripted(json(401, { message: 'Unauthorized' }));
    await expect(api(refused.fetch).whoAmI()).rejects.toBeInstanceOf(AgentKeyRejectedError);
  });
});
