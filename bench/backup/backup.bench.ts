// `npm run bench:backup`: vigie-agent, restic (S3 and local) and borg side by side on one generated data set
// (see docs/benchmarks.md). Writes bench/results/backup.json and backup.md; exits 1 when a tool that could run
// failed or a restore differs from its source, 2 on bad usage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBenchmark } from './harness';
import { markdownReport, metricRows } from './report';
import { TOOLS, type ToolName } from './runners/runner';

const GIB = 2 ** 30;
const SMOKE_SIZE = 40 * 2 ** 20;
const MIN_SIZE = 16 * 2 ** 20;
const DEFAULT_SEED = 20260302;

const USAGE = `Usage: npm run bench:backup -- [options]

  --size SIZE       data set size (default 1GiB; --smoke: 40MiB); units B, KiB, MiB, GiB, KB, MB, GB
  --tools LIST      comma-separated, from ${TOOLS.join(', ')} (default: all)
  --smoke           a small data set for CI: the same phases and checks, in well under a minute
  --seed N          data set seed (default ${DEFAULT_SEED})
  --results FILE    JSON results (default bench/results/backup.json; the Markdown report goes next to it)
  --keep            keep the repositories and restores of this run
  -h, --help        this help

The data set is cached under VIGIE_BENCH_DIR (default: <tmp>/vigie-bench) by seed and size.`;

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i.exec(text.trim());
  if (!match) throw new Error(`--size: "${text}" is not a size like 1GiB or 40MiB`);
  const units: Record<string, number> = { b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, kb: 1e3, mb: 1e6, gb: 1e9 };
  const bytes = Math.round(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]!);
  if (bytes < MIN_SIZE) throw new Error(`--size: at least ${MIN_SIZE / 2 ** 20} MiB`);
  return bytes;
}

function parseTools(text: string): ToolName[] {
  const tools = text.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = tools.filter((t) => !(TOOLS as readonly string[]).includes(t));
  if (unknown.length || tools.length === 0) throw new Error(`--tools: unknown ${unknown.join(', ') || '(empty)'}; choose from ${TOOLS.join(', ')}`);
  return [...new Set(tools)] as ToolName[];
}

function usageError(message: string): never {
  console.error(`bench:backup: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      size: { type: 'string' },
      tools: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      seed: { type: 'string' },
      results: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  usageError((error as Error).message);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}

let size: number;
let tools: ToolName[];
let seed: number;
try {
  size = parsed.size ? parseSize(parsed.size) : parsed.smoke ? SMOKE_SIZE : GIB;
  tools = parsed.tools ? parseTools(parsed.tools) : [...TOOLS];
  seed = parsed.seed === undefined ? DEFAULT_SEED : Number(parsed.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new Error('--seed: an integer from 0 to 4294967295');
} catch (error) {
  usageError((error as Error).message);
}

const resultsFile = resolve(parsed.results ?? fileURLToPath(new URL('../results/backup.json', import.meta.url)));
const markdownFile = resultsFile.replace(/\.json$/, '') + '.md';
const log = (line: string) => console.log(`[bench:backup] ${line}`);

const results = await runBenchmark({ seed, size, tools, smoke: parsed.smoke, keep: parsed.keep, log });
const report = markdownReport(results);
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify({ ...results, metrics: metricRows(results) }, null, 2)}\n`);
writeFileSync(markdownFile, report);
console.log(`\n${report}`);
console.log(`Results written to ${resultsFile} and ${markdownFile} (run: ${results.durationSeconds} s).`);

const failed = results.tools.filter((t) => t.status === 'failed');
if (failed.length > 0) {
  console.error(`bench:backup: ${failed.map((t) => t.tool).join(', ')} failed`);
  process.exit(1);
}
