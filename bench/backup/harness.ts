// The side-by-side run: every tool does each phase on the same tree before the tree moves on, so all of them see
// the same data and the same page cache. Restores are checked byte for byte against the source.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { benchDirectory, ensureDataset, type DatasetManifest } from './dataset';
import { describeMachine, LoadSampler, type LoadFigures, type Machine } from './machine';
import { CommandFailed, type Measured } from './measure';
import { BorgRunner } from './runners/borg';
import { ResticRunner } from './runners/restic';
import { TOOL_LABELS, type BackupRunner, type RunnerContext, type ToolName } from './runners/runner';
import { VigieRunner } from './runners/vigie';
import { RequestMeter } from './s3';
import { ensureTools, type Requirable } from './tools';
import { hashTree, treeDifferences } from './tree-hash';
import { isAlive } from './processes';

export const PHASES = ['init', 'initial', 'incremental', 'unchanged', 'restore'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseResult {
  wallMs: number;
  peakRssBytes: number;
  /** Backups only. */
  uploadedBytes?: number;
}

export interface ToolResult {
  tool: ToolName;
  label: string;
  status: 'ok' | 'missing' | 'failed';
  /** Why missing or failed. */
  reason?: string;
  settings: Record<string, string>;
  byteMethod: string;
  phases: Partial<Record<Phase, PhaseResult>>;
  storedBytes?: number;
  /** The restored tree's digest equals the source's. */
  restoreVerified?: boolean;
}

export interface BenchmarkResults {
  kind: 'vigie-backup-benchmark';
  startedAt: string;
  durationSeconds: number;
  smoke: boolean;
  machine: Machine;
  load: LoadFigures;
  dataset: DatasetManifest & { root: string; cached: boolean; digestDay0: string; digestDay1: string; /** Rewritten or added by day 1. */ dayOneBytes: number };
  tools: ToolResult[];
}

export interface BenchmarkOptions {
  seed: number;
  size: number;
  tools: ToolName[];
  smoke: boolean;
  /** Keep the run's repositories and restores (default: removed at the end). */
  keep: boolean;
  log: (line: string) => void;
}

const NEEDS: Record<ToolName, Requirable[]> = { 'restic-s3': ['restic'], 'restic-local': ['restic'], borg: ['borg'], vigie: [] };

export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResults> {
  const { log } = options;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  // The tools start from this environment: the vigie runner's in-process runtime changes process.env later.
  const env = { ...process.env };
  const benchDir = benchDirectory();
  mkdirSync(benchDir, { recursive: true });

  const missingTools = ensureTools(['time', 'zstd', ...new Set(options.tools.flatMap((tool) => NEEDS[tool]))], log);
  if (missingTools.has('time')) throw new Error(missingTools.get('time'));

  const dataset = await ensureDataset({ seed: options.seed, size: options.size, log });
  removeAbandonedRuns(join(benchDir, 'runs'), log);
  const runDir = join(benchDir, 'runs', `${startedAt.replace(/[:.]/g, '-')}-${process.pid}`);
  const meter = new RequestMeter();
  const load = new LoadSampler();
  const results = new Map<ToolName, ToolResult>();
  const runners = new Map<ToolName, BackupRunner>();
  try {
    log(`data set: ${dataset.root} (${dataset.generated ? 'generated' : 'cached'}, ${dataset.manifest.files} files, ${(dataset.manifest.bytes / 2 ** 20).toFixed(0)} MiB)`);
    for (const tool of options.tools) {
      const workDir = join(runDir, tool);
      mkdirSync(workDir, { recursive: true });
      const context: RunnerContext = { workDir, source: dataset.root, env, log, logFile: join(runDir, `${tool}.log`) };
      const runner = tool === 'vigie' ? new VigieRunner(context, meter) : tool === 'borg' ? new BorgRunner(context) : new ResticRunner(tool === 'restic-s3' ? 's3' : 'local', context, meter);
      const result: ToolResult = { tool, label: TOOL_LABELS[tool], status: 'ok', settings: {}, byteMethod: runner.byteMethod, phases: {} };
      results.set(tool, result);
      const missing = NEEDS[tool].map((name) => missingTools.get(name)).find(Boolean) ?? (await runner.unavailable());
      if (missing) {
        result.status = 'missing';
        result.reason = missing;
        log(`${tool}: not available (${missing})`);
        continue;
      }
      runners.set(tool, runner);
    }

    const day0 = timed(log, 'hashing the source (day 0), which also warms the page cache', () => hashTree(dataset.root));

    // Each phase for every tool, then the next phase: the same tree and the same cache for all.
    const phase = async (name: Phase, act: (runner: BackupRunner, result: ToolResult) => Promise<Measured>, uploads: boolean) => {
      for (const [tool, runner] of runners) {
        const result = results.get(tool)!;
        if (result.status !== 'ok') continue;
        try {
          // The previous tool's writes (a repository, a restored gigabyte) go to disk first, untimed: otherwise
          // their writeback lands in the next tool's time.
          spawnSync('sync');
          const before = uploads ? await runner.uploadedBytes() : 0;
          const measured = await act(runner, result);
          const figures: PhaseResult = { wallMs: Math.round(measured.wallMs), peakRssBytes: measured.peakRssBytes };
          if (uploads) figures.uploadedBytes = (await runner.uploadedBytes()) - before;
          result.phases[name] = figures;
          log(`${tool}: ${name} ${(figures.wallMs / 1000).toFixed(2)} s, peak RSS ${(figures.peakRssBytes / 2 ** 20).toFixed(0)} MiB${figures.uploadedBytes === undefined ? '' : `, uploaded ${(figures.uploadedBytes / 2 ** 20).toFixed(1)} MiB`}`);
        } catch (error) {
          result.status = 'failed';
          result.reason = `${name}: ${error instanceof CommandFailed ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
          log(`${tool}: FAILED at ${name}: ${result.reason}`);
        }
      }
    };

    for (const [tool, runner] of runners) {
      try {
        await runner.setUp();
      } catch (error) {
        const result = results.get(tool)!;
        result.status = 'failed';
        result.reason = `set-up: ${error instanceof Error ? error.message : String(error)}`;
        log(`${tool}: FAILED to set up: ${result.reason}`);
      }
    }
    await phase('init', (runner) => runner.init(), false);
    await phase('initial', (runner) => runner.backup('day-0'), true);
    const dayOneBytes = timed(log, 'moving the data set to day 1', () => dataset.advanceDay());
    const day1 = timed(log, 'hashing the source (day 1)', () => hashTree(dataset.root));
    await phase('incremental', (runner) => runner.backup('day-1'), true);
    await phase('unchanged', (runner) => runner.backup('day-1-again'), true);
    await phase('restore', async (runner, result) => {
      const target = join(runDir, `restore-${runner.tool}`);
      mkdirSync(target, { recursive: true });
      const restored = await runner.restore(target);
      const root = locateRestoredRoot(restored.restoredRoot, target, dataset.root);
      const digest = timed(log, `${runner.tool}: checking the restore`, () => hashTree(root));
      result.restoreVerified = digest.digest === day1.digest;
      if (!result.restoreVerified) {
        throw new Error(`the restore differs from the source:\n  ${treeDifferences(day1, digest).join('\n  ')}`);
      }
      return restored;
    }, false);

    for (const [tool, runner] of runners) {
      const result = results.get(tool)!;
      result.settings = runner.settings();
      if (result.status === 'ok' || result.phases.initial) {
        result.storedBytes = await runner.storedBytes().catch(() => undefined);
      }
    }
    return {
      kind: 'vigie-backup-benchmark',
      startedAt,
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
      smoke: options.smoke,
      machine: describeMachine(benchDir),
      load: load.stop(),
      dataset: { ...dataset.manifest, root: dataset.root, cached: !dataset.generated, digestDay0: day0.digest, digestDay1: day1.digest, dayOneBytes },
      tools: options.tools.map((tool) => results.get(tool)!),
    };
  } finally {
    load.stop();
    for (const runner of runners.values()) await runner.tearDown().catch((error: unknown) => log(`${runner.tool}: tear-down failed: ${String(error)}`));
    meter.close();
    try {
      dataset.resetToDayZero();
    } finally {
      dataset.release();
    }
    if (options.keep) log(`kept: ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
}

/** Folders of runs whose process is gone (interrupted with Ctrl-C): each holds gigabytes of repositories. */
function removeAbandonedRuns(runs: string, log: (line: string) => void): void {
  if (!existsSync(runs)) return;
  for (const name of readdirSync(runs)) {
    const pid = Number(/-(\d+)$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    log(`removing the folder of an interrupted run: ${join(runs, name)}`);
    rmSync(join(runs, name), { recursive: true, force: true });
  }
}

function timed<T>(log: (line: string) => void, what: string, act: () => T): T {
  const started = performance.now();
  const result = act();
  log(`${what}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return result;
}

/** Where the source's tree landed: the runner's answer, or the usual places when it differs. */
function locateRestoredRoot(reported: string, target: string, source: string): string {
  const candidates = [reported, join(target, source), join(target, basename(source)), target];
  return candidates.find((path) => existsSync(path)) ?? reported;
}
