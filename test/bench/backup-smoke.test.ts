// `npm run bench:backup -- --smoke` end to end for the two local reference tools: a 40 MiB data set, every
// phase, restores checked byte for byte, the report written. The whole run took 21–24 s on the 2-core machine
// (load ~4) where this test was written, data set generation included; the budget leaves room for a busier one.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkResults } from '../../bench/backup/harness';
import { ensureTools } from '../../bench/backup/tools';

const SMOKE_BUDGET_SECONDS = 90;
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'vigie-bench-smoke-'));
let missing: string | undefined;

beforeAll(() => {
  const unavailable = ensureTools(['time', 'restic', 'borg', 'zstd'], (line) => console.log(`[bench smoke] ${line}`));
  if (unavailable.size > 0) missing = [...unavailable.values()].join('; ');
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bench:backup --smoke', () => {
  it(`runs restic-local and borg end to end within ${SMOKE_BUDGET_SECONDS} s, restores verified`, async (context) => {
    if (missing) {
      console.warn(`[bench smoke] skipped: the reference tools cannot be installed here (${missing})`);
      context.skip();
    }
    const resultsFile = join(work, 'backup.json');
    const started = performance.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/backup/backup.bench.ts', '--smoke', '--tools', 'restic-local,borg', '--results', resultsFile], {
        cwd: REPO_ROOT,
        env: { ...process.env, VIGIE_BENCH_DIR: join(work, 'bench') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('close', (exitCode) => resolve({ code: exitCode, output }));
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(`[bench smoke] whole run: ${seconds.toFixed(1)} s (budget ${SMOKE_BUDGET_SECONDS} s)`);
    expect(code, output).toBe(0);
    expect(seconds).toBeLessThan(SMOKE_BUDGET_SECONDS);

    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchmarkResults;
    expect(results.smoke).toBe(true);
    expect(results.dataset.bytes).toBeGreaterThan(30e6);
    expect(results.dataset.bytes).toBeLessThan(50e6);
    expect(results.tools.map((t) => t.tool)).toEqual(['restic-local', 'borg']);
    for (const tool of results.tools) {
      expect(tool.status, tool.reason).toBe('ok');
      expect(tool.restoreVerified).toBe(true);
      for (const phase of ['init', 'initial', 'incremental', 'unchanged', 'restore'] as const) {
        expect(tool.phases[phase]?.wallMs, `${tool.tool} ${phase}`).toBeGreaterThan(0);
        expect(tool.phases[phase]?.peakRssBytes, `${tool.tool} ${phase}`).toBeGreaterThan(1 << 20);
      }
      // Compression and deduplication: the first backup stores less than the data set; a day's change adds a
      // fraction of it; an unchanged re-run adds only metadata.
      expect(tool.phases.initial!.uploadedBytes!).toBeGreaterThan(results.dataset.bytes * 0.3);
      expect(tool.phases.initial!.uploadedBytes!).toBeLessThan(results.dataset.bytes);
      // (borg draws its chunker seed per repository, so its figure varies from run to run on so small a set.)
      expect(tool.phases.incremental!.uploadedBytes!, tool.tool).toBeLessThan(tool.phases.initial!.uploadedBytes! * 0.25);
      expect(tool.phases.unchanged!.uploadedBytes!).toBeLessThan(64 * 1024);
      expect(tool.storedBytes).toBeGreaterThanOrEqual(tool.phases.initial!.uploadedBytes!);
    }
    const report = readFileSync(resultsFile.replace(/\.json$/, '.md'), 'utf8');
    expect(report).toContain('| Initial backup (time · throughput) |');
    expect(report).toContain('restore byte-identical to the source');
  }, 300_000);
});
