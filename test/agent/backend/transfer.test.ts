import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../../agent/src/backend/http';
import { getObject, putObject, sha256Hex, TransferRefusedError, UrlExpiredError } from '../../../agent/src/backend/transfer';

const target = { kind: 'pack' as const, id: 'a'.repeat(64), url: 'http://127.0.0.1:9/bucket/packs/acme/aaa', headers: { 'if-none-match': '*' }, expiresAt: '2026-12-02T18:00:00.000Z' };
const retry = { attempts: 4, baseMs: 1, capMs: 1 };
const xml = (status: number, code: string, message = '') => new Response(`<?xml version="1.0"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, { status });

function scripted(...answers: Array<Response | Error>) {
  const bodies: number[] = [];
  const fetch: Fetch = async (_url, init) => {
    if (init.body && typeof (init.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
      let size = 0;
      for await (const piece of init.body as unknown as AsyncIterable<Uint8Array>) size += piece.length;
      bodies.push(size);
    }
    const next = answers.shift()!;
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, bodies };
}

describe('putObject', () => {
  it('retries 503 SlowDown, 500 and dropped connections, sending the whole body each time', async () => {
    const { fetch, bodies } = scripted(xml(503, 'SlowDown'), new TypeError('socket hang up'), xml(500, 'InternalError'), new Response('', { status: 200 }));
    const bytes = new Uint8Array(200_000);
    expect(await putObject(target, bytes, { fetch, retry })).toBe('uploaded');
    expect(bodies).toEqual([200_000, 200_000, 200_000, 200_000]);
  });

  it('counts a 412 (it exists already: same id, same bytes) as done', async () => {
    const { fetch } = scripted(xml(412, 'PreconditionFailed'));
    expect(await putObject(target, new Uint8Array(10), { fetch, retry })).toBe('existed');
  });

  it('does not retry a 400 (bad digest) and tells an expired URL apart', async () => {
    await expect(putObject(target, new Uint8Array(10), { fetch: scripted(xml(400, 'BadDigest')).fetch, retry })).rejects.toBeInstanceOf(TransferRefusedError);
    await expect(putObject(target, new Uint8Array(10), { fetch: scripted(xml(403, 'AccessDenied', 'Request has expired')).fetch, retry })).rejects.toBeInstanceOf(UrlExpiredError);
  });
});

describe('getObject', () => {
  it('retries a body cut short', async () => {
    const cut = new Response(new Uint8Array(5), { status: 200, headers: { 'content-length': '10' } });
    Object.defineProperty(cut.headers, 'get', { value: (name: string) => (name === 'content-length' ? '10' : null) });
    const whole = new Response(new Uint8Array(10), { status: 200, headers: { 'content-length': '10' } });
    const bytes = await getObject({ id: 'x'.repeat(64), url: target.url }, { fetch: scripted(cut, whole).fetch, retry });
    expect(bytes.length).toBe(10);
  });

  it('hashes as the repository names objects', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
