/** What the scrypt cost of wrapped keys takes here: `npx tsx bench/engine/keys.bench.ts`. */
import { DEFAULT_SCRYPT, unwrapMasterKey, wrapMasterKey } from '../../agent/src/engine/keyfile';
import { generateMasterKey } from '../../agent/src/engine/keys';

const masterKey = generateMasterKey();
for (const cost of [{ N: 2 ** 16, r: 8, p: 1 }, DEFAULT_SCRYPT, { N: 2 ** 18, r: 8, p: 1 }]) {
  const { wrapped } = await wrapMasterKey(masterKey, 'passphrase', { host: 'bench', label: 'bench', createdAt: new Date().toISOString(), cost });
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await unwrapMasterKey(wrapped, 'passphrase');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`scrypt N=2^${Math.log2(cost.N)} r=${cost.r} p=${cost.p}: ${(128 * cost.N * cost.r / 2 ** 20).toFixed(0)} MiB, unwrap ${times[1]!.toFixed(0)} ms median`);
}
