// The benchmark's data set: generated once per (seed, size) into a cache folder outside the repository, checked
// and reused by later runs, moved to "day N" in place and back to day 0 afterwards.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENT_SIZE, Pools } from './content';
import { bytesChanged, changesOfDays, describeDailyChange } from './days';
import { TreeWriter } from './generate';
import { CATEGORY_DESCRIPTIONS, CATEGORY_SHARES, planDataset, type Category, type DatasetPlan } from './layout';
import { writeDatasetInParallel } from './parallel';
import { zstdSize } from './zstd';
import { isAlive } from '../processes';

/** Smaller data sets are written by this thread: starting workers (and their TypeScript loader) would cost more. */
const IN_THREAD_BELOW = 256 * 2 ** 20;

/** Bumped whenever a change to the generator changes its output: cached data sets of another version are regenerated. */
export const GENERATOR_VERSION = 1;

export interface CategoryFigures {
  category: Category;
  description: string;
  share: number;
  files: number;
  bytes: number;
  /** zstd -1 output for the category's files concatenated; absent when zstd is missing. */
  zstd1Bytes?: number;
}

export interface DatasetManifest {
  generator: number;
  seed: number;
  size: number;
  /** The simulated day the tree is at (0 as generated). Written before a change is applied, so a crash leaves a day that `reset` can undo. */
  day: number;
  files: number;
  dirs: number;
  bytes: number;
  categories: CategoryFigures[];
  zstd1Ratio?: number;
  zstdVersion?: string;
  dailyChange: string;
  generation: { at: string; seconds: number; megabytesPerSecond: number; threads: number; userSeconds: number; systemSeconds: number };
}

export interface Dataset {
  /** The tree to back up. */
  root: string;
  plan: DatasetPlan;
  manifest: DatasetManifest;
  /** True when this call generated the tree (false: reused from the cache). */
  generated: boolean;
  /** Moves the tree one simulated day forward; returns the bytes the day rewrote or added. */
  advanceDay(): number;
  /** Back to day 0 (what later runs expect to find). */
  resetToDayZero(): void;
  release(): void;
}

export interface DatasetOptions {
  seed: number;
  size: number;
  /** Holds datasets/; default VIGIE_BENCH_DIR or the system's temporary folder. */
  baseDir?: string;
  log?: (line: string) => void;
  threads?: number;
}

export function benchDirectory(): string {
  return process.env['VIGIE_BENCH_DIR'] ?? join(tmpdir(), 'vigie-bench');
}

export async function ensureDataset(options: DatasetOptions): Promise<Dataset> {
  const log = options.log ?? (() => undefined);
  const home = join(options.baseDir ?? benchDirectory(), 'datasets', `seed-${options.seed}-size-${options.size}`);
  mkdirSync(home, { recursive: true });
  const release = lock(join(home, 'lock'));
  try {
    const root = join(home, 'data');
    const manifestFile = join(home, 'manifest.json');
    const plan = planDataset(options.seed, options.size);
    let manifest = readManifest(manifestFile, plan, root);
    let generated = false;
    const writer = () => new TreeWriter(root, plan, new Pools(plan.seed));
    const save = () => writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

    if (manifest && manifest.day !== 0) {
      log(`data set: back from day ${manifest.day} to day 0`);
      writer().resetFrom(manifest.day);
      manifest.day = 0;
      save();
    }
    if (manifest && !matchesPlan(root, plan)) {
      log('data set: the cached tree differs from its plan; regenerating');
      manifest = undefined;
    }
    if (!manifest) {
      rmSync(manifestFile, { force: true });
      manifest = await generate(home, root, plan, options.threads ?? (plan.size < IN_THREAD_BELOW ? 0 : availableParallelism()), log);
      generated = true;
      save();
    }
    const current = manifest;
    return {
      root,
      plan,
      manifest: current,
      generated,
      advanceDay() {
        const day = current.day + 1;
        current.day = day;
        save();
        const changes = changesOfDays(plan, day)[day - 1]!;
        writer().applyDay(changes);
        return bytesChanged(changes);
      },
      resetToDayZero() {
        if (current.day === 0) return;
        writer().resetFrom(current.day);
        current.day = 0;
        save();
      },
      release,
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function generate(home: string, root: string, plan: DatasetPlan, threads: number, log: (line: string) => void): Promise<DatasetManifest> {
  const partial = join(home, 'data.partial');
  rmSync(partial, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
  mkdirSync(partial);
  log(`data set: generating ${(plan.size / 2 ** 20).toFixed(0)} MiB (seed ${plan.seed}) in ${partial} ${threads === 0 ? 'in this thread' : `with ${threads} worker threads`}`);
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (threads === 0) {
    const writer = new TreeWriter(partial, plan, new Pools(plan.seed));
    writer.makeSkeleton();
    writer.writeAll();
  } else {
    await writeDatasetInParallel(partial, plan, threads);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  renameSync(partial, root);
  const bytes = plan.database.extents * EXTENT_SIZE + plan.files.reduce((sum, f) => sum + f.size, 0);
  log(`data set: ${(bytes / 1e6).toFixed(0)} MB written in ${seconds.toFixed(2)} s (${(bytes / 1e6 / seconds).toFixed(0)} MB/s)`);

  const zstdVersion = versionOfZstd();
  // Two categories at a time: zstd -1 is single-threaded.
  const pending = Object.keys(CATEGORY_SHARES) as Category[];
  const figures = new Map<Category, CategoryFigures>();
  await Promise.all(
    [0, 1].map(async () => {
      for (let category = pending.shift(); category; category = pending.shift()) {
        const files = plan.files.filter((f) => f.category === category);
        const paths = category === 'database' ? [join(root, plan.database.path)] : files.map((f) => join(root, f.path));
        figures.set(category, {
          category,
          description: CATEGORY_DESCRIPTIONS[category],
          share: CATEGORY_SHARES[category],
          files: paths.length,
          bytes: category === 'database' ? plan.database.extents * EXTENT_SIZE : files.reduce((sum, f) => sum + f.size, 0),
          ...(zstdVersion ? { zstd1Bytes: await zstdSize(paths) } : {}),
        });
      }
    }),
  );
  const categories = (Object.keys(CATEGORY_SHARES) as Category[]).map((category) => figures.get(category)!);
  const compressed = categories.reduce((sum, c) => sum + (c.zstd1Bytes ?? 0), 0);
  if (zstdVersion) log(`data set: zstd -1 ratio ${(compressed / bytes).toFixed(3)} (${categories.map((c) => `${c.category} ${((c.zstd1Bytes ?? 0) / c.bytes).toFixed(2)}`).join(', ')})`);
  return {
    generator: GENERATOR_VERSION,
    seed: plan.seed,
    size: plan.size,
    day: 0,
    files: plan.files.length + 1,
    dirs: plan.dirs.length,
    bytes,
    categories,
    ...(zstdVersion ? { zstd1Ratio: compressed / bytes, zstdVersion } : {}),
    dailyChange: describeDailyChange(),
    generation: { at: new Date().toISOString(), seconds, megabytesPerSecond: bytes / 1e6 / seconds, threads, userSeconds: used.user / 1e6, systemSeconds: used.system / 1e6 },
  };
}

function versionOfZstd(): string | undefined {
  const result = spawnSync('zstd', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function readManifest(file: string, plan: DatasetPlan, root: string): DatasetManifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as DatasetManifest;
    if (manifest.generator !== GENERATOR_VERSION || manifest.seed !== plan.seed || manifest.size !== plan.size || !existsSync(root)) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
}

/** A quick check that the cached tree still holds the planned files at their sizes and only the planned folders (day 0). */
function matchesPlan(root: string, plan: DatasetPlan): boolean {
  try {
    if (lstatSync(join(root, plan.database.path)).size !== plan.database.extents * EXTENT_SIZE) return false;
    for (const file of plan.files) if (lstatSync(join(root, file.path)).size !== file.size) return false;
    let files = 0;
    let dirs = 0;
    const count = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          dirs++;
          count(join(dir, entry.name));
        } else files++;
      }
    };
    count(root);
    return files === plan.files.length + 1 && dirs === plan.dirs.length;
  } catch {
    return false;
  }
}

/** One run at a time per data set: a run moves the tree through simulated days. */
function lock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(`the data set ${file.replace(/\/lock$/, '')} is in use by process ${holder} (another benchmark run); wait for it, or set VIGIE_BENCH_DIR to another folder`, { cause: error });
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot lock ${file}`);
}
