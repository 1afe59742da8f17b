import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressIfWorthIt, loadZstd, type Zstd } from '../../../agent/src/engine/compression';
import { CorruptDataError, InvalidArgumentError } from '../../../agent/src/engine/errors';
import { compressibleText, pseudoRandomBytes } from './support';

/**
 * A frame written by Node 22's built-in zstd (zlib.zstdCompressSync, level 1) from compressibleText(200): the
 * WebAssembly fallback of Node 20 must read it.
 */
const NODE22_FRAME =
  'KLUv/WDgIJ0WACbjShiAS9IBzZBaOG2kKyMMIJOUKSX5QFDzIIRRAD0APwBSddPmbosk5Dg2OCUv8sxvOSIkpFBtzCijb3jciDa6zQardTINmd7UjrEkxAEEDCkECAaKUSQQBQlEA0ORQBwoLBgUBw4PCYMChGIUB4gEhYU3bWp3tS1SlfWqzSv/P7/76evls3O8yhf61CVSNppBUnXT5m5PkuGmxkzJT56ZWlo8M4erfKFPvRIpss5oQk+5XJHOW62sa7HrWlIWx6yR55TjuOHI4YiMElpmMi6sTDZyVBtDoQ9zRNzgWmPksSFj/Rh1rGPEsbHOmFQFAAFDCgGCgWJVddFq+9rVyr22WWX/5nU7bd3Hu37ThHx6aaPRSSMPXUhq7PlGPu5sNuZUjcxYXLfYnoss9TwHgY6ocZi+/2/xxkxAl3YRKARf8iQhwrTnAQs06zqLk8AtP0vLeZOg2FPwurT1kVBZIlG9Q4L6Agny9RHEt0fQr46g3xxBrd91RW9E1YhCr4hZiiuFOXQR54mXUS7ys2TMUYoXxSUkdc+5Ss+uYGJiEiWYF8oLhCkq6p4NSu+uYE1iGiWYF8oLOOji7xG9WS7ilfTUle9G5BUxS3ElxW4/G+nlFcxEcLu09XMg9RFR1pAfyhOEcXURGUiPXfkgBGU3UDHcMLy2gfhWG/ix2eBPgw3wnWuQx1iDO001KIV/qFk6ze8Ktf2AiZroxm7ubuL25m1v2p4PDzwbGlBnfVeWO9XnlNXg2IOSVQ4CKRqpkWokKsFkel2dmJjy8HIK7LHSiP6piGpBK0cZENItzoBLtJCDANr5IVQkrIGUtUeywwooylRzQ6BIUAMpaw+CRJdyFanmhkCRoAZS1h4ESTTpmzBbGANU0gZQwkKB+FKWAmERZApigEraEBBA+wCwwXtVXFfutHKXlXNWmaPKuKl8t1QuAfLUWRAqpIC4uBMuNPUYMAwoqw==';
const NODE22_PLAIN_SHA256 = '520add22ad2e2950ff1c7a5fa1841263b73b917147619efc4765904adba3d6ee';

const hasBuiltin = typeof (zlib as unknown as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';
const zstdCli = ['/usr/bin/zstd', '/usr/local/bin/zstd'].find((candidate) => existsSync(candidate));

const backends: Array<[string, () => Promise<Zstd>]> = [['zstd-wasm', () => loadZstd({ prefer: 'wasm' })]];
if (hasBuiltin) backends.push(['node:zlib', () => loadZstd({ prefer: 'builtin' })]);

describe('loadZstd', () => {
  it('uses the built-in zstd where Node has one, WebAssembly otherwise', async () => {
    const zstd = await loadZstd();
    expect(zstd.backend).toBe(hasBuiltin ? 'node:zlib' : 'zstd-wasm');
  });
});

describe.each(backends)('zstd through %s', (_name, load) => {
  it('round-trips text, random bytes, empty input and 4 MiB', async () => {
    const zstd = await load();
    for (const data of [compressibleText(2000), pseudoRandomBytes(100_000), Buffer.alloc(0), pseudoRandomBytes(4 * 1024 * 1024, 9)]) {
      const frame = zstd.compress(data);
      expect(Buffer.from(zstd.decompress(frame, data.length)).equals(data)).toBe(true);
    }
  });

  it('reads the frame Node 22 built-in zstd wrote', async () => {
    const zstd = await load();
    const plain = zstd.decompress(Buffer.from(NODE22_FRAME, 'base64'), 8672);
    expect(createHash('sha256').update(plain).digest('hex')).toBe(NODE22_PLAIN_SHA256);
    expect(Buffer.from(plain).equals(compressibleText(200))).toBe(true);
  });

  it('writes standard frames the zstd command line reads', async ({ skip }) => {
    if (!zstdCli) skip('no zstd command on this machine');
    const zstd = await load();
    const data = compressibleText(3000);
    const frame = zstd.compress(data, 3);
    expect(execFileSync(zstdCli!, ['-d', '-c', '-q'], { input: frame }).equals(data)).toBe(true);
  });

  it('refuses a length other than the recorded one, and bytes that are no frame', async () => {
    const zstd = await load();
    const data = compressibleText(100);
    const frame = zstd.compress(data);
    expect(() => zstd.decompress(frame, data.length + 1, 'blob x')).toThrow(CorruptDataError);
    expect(() => zstd.decompress(frame, data.length - 1, 'blob x')).toThrow(CorruptDataError);
    expect(() => zstd.decompress(pseudoRandomBytes(500), 1000)).toThrow(CorruptDataError);
    expect(() => zstd.decompress(frame.subarray(0, frame.length - 5), data.length)).toThrow(CorruptDataError);
  });

  it('refuses levels outside -7…19', async () => {
    const zstd = await load();
    expect(() => zstd.compress(Buffer.from('x'), 20)).toThrow(InvalidArgumentError);
    expect(() => zstd.compress(Buffer.from('x'), 1.5)).toThrow(InvalidArgumentError);
  });
});

describe.runIf(hasBuiltin)('between the two backends (Node 22 and later)', () => {
  it('each reads what the other wrote', async () => {
    const wasm = await loadZstd({ prefer: 'wasm' });
    const builtin = await loadZstd({ prefer: 'builtin' });
    for (const data of [compressibleText(5000), pseudoRandomBytes(300_000, 4), Buffer.alloc(0)]) {
      expect(Buffer.from(builtin.decompress(wasm.compress(data), data.length)).equals(data)).toBe(true);
      expect(Buffer.from(wasm.decompress(builtin.compress(data), data.length)).equals(data)).toBe(true);
    }
  });
});

describe('compressIfWorthIt', () => {
  it('keeps the frame only when it saves at least 10 %', async () => {
    const zstd = await loadZstd();
    expect(compressIfWorthIt(zstd, compressibleText(1000))).toBeDefined();
    expect(compressIfWorthIt(zstd, pseudoRandomBytes(100_000))).toBeUndefined();
    expect(compressIfWorthIt(zstd, Buffer.alloc(0))).toBeUndefined();
    // Half random, half zeros: saves about 50 %. Random with 5 % zeros: saves under 10 %.
    expect(compressIfWorthIt(zstd, Buffer.concat([pseudoRandomBytes(50_000), Buffer.alloc(50_000)]))).toBeDefined();
    expect(compressIfWorthIt(zstd, Buffer.concat([pseudoRandomBytes(95_000), Buffer.alloc(5_000)]))).toBeUndefined();
  });

  it('skips large incompressible chunks after sampling, and still compresses large chunks that compress anywhere', async () => {
    const zstd = await loadZstd();
    let calls = 0;
    const counting: Zstd = { ...zstd, compress: (data, level) => (calls++, zstd.compress(data, level)) };
    expect(compressIfWorthIt(counting, pseudoRandomBytes(1024 * 1024, 8))).toBeUndefined();
    expect(calls).toBe(3);
    const text = compressibleText(20_000);
    const frame = compressIfWorthIt(zstd, text);
    expect(Buffer.from(zstd.decompress(frame!, text.length)).equals(text)).toBe(true);
    // Random at the start and in the middle, zeros at the end: the last sample finds it.
    const mixed = Buffer.concat([pseudoRandomBytes(600_000, 9), Buffer.alloc(400_000)]);
    expect(compressIfWorthIt(zstd, mixed)).toBeDefined();
  });
});
