// Writes a whole data set with worker threads (one per core by default): generation is PRNG- and I/O-bound, and
// both spread well. While the workers start, this thread makes the folders and builds the pools, which the
// workers then read from shared memory.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EXTENT_SIZE, Pools, type SharedPools } from './content';
import { TreeWriter } from './generate';
import type { DatasetPlan } from './layout';

export type Task = { type: 'database'; from: number; to: number } | { type: 'files'; ids: number[] };

export type ToWorker = { type: 'pools'; shared: SharedPools } | Task;
export type FromWorker = { type: 'done' };

export interface WorkerInput {
  root: string;
  plan: DatasetPlan;
}

const DATABASE_TASK_EXTENTS = 256;
const SMALL_FILE_BATCH = 500;
/** Rough costs on this machine kind, only to hand out the longest tasks first. */
const SECONDS_PER_BYTE = 1 / 400e6;
const SECONDS_PER_FILE = 100e-6;

function tasksOf(plan: DatasetPlan): Task[] {
  const tasks: Array<Task & { cost: number }> = [];
  for (let from = 0; from < plan.database.extents; from += DATABASE_TASK_EXTENTS) {
    const to = Math.min(plan.database.extents, from + DATABASE_TASK_EXTENTS);
    tasks.push({ type: 'database', from, to, cost: (to - from) * EXTENT_SIZE * SECONDS_PER_BYTE });
  }
  const small = plan.files.filter((f) => f.size < 256 * 1024);
  for (let i = 0; i < small.length; i += SMALL_FILE_BATCH) {
    const batch = small.slice(i, i + SMALL_FILE_BATCH);
    tasks.push({ type: 'files', ids: batch.map((f) => f.id), cost: batch.reduce((sum, f) => sum + f.size * SECONDS_PER_BYTE + SECONDS_PER_FILE, 0) });
  }
  for (const file of plan.files) if (file.size >= 256 * 1024) tasks.push({ type: 'files', ids: [file.id], cost: file.size * SECONDS_PER_BYTE + SECONDS_PER_FILE });
  return tasks.sort((a, b) => b.cost - a.cost).map(({ cost: _cost, ...task }) => task);
}

function startWorker(input: WorkerInput): Worker {
  const workerUrl = new URL('./worker.ts', import.meta.url).href;
  // Worker threads do not inherit tsx's loader on Node 20: each registers it before loading the TypeScript worker.
  const bootstrap = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(workerUrl)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData: input });
}

/** Sends `message` and resolves with the worker's answer, or rejects if the worker fails first. */
function ask(worker: Worker, message: ToWorker): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    const onMessage = (answer: FromWorker) => {
      worker.off('error', onError);
      resolve(answer);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(message);
  });
}

/** Writes the day-0 tree of `plan` under `root` (an empty folder). */
export async function writeDatasetInParallel(root: string, plan: DatasetPlan, threads = availableParallelism(), trace: (line: string) => void = () => undefined): Promise<void> {
  const started = performance.now();
  const since = () => `${Math.round(performance.now() - started)} ms`;
  const workers = Array.from({ length: Math.max(1, threads) }, () => startWorker({ root, plan }));
  try {
    // While the workers start (each loads its TypeScript), this thread makes the folders and builds the pools.
    const pools = new Pools(plan.seed);
    new TreeWriter(root, plan, pools).makeSkeleton();
    trace(`folders made: ${since()}`);
    const shared = pools.share();
    trace(`pools built: ${since()}`);
    await Promise.all(workers.map((worker) => ask(worker, { type: 'pools', shared })));
    trace(`workers ready: ${since()}`);
    const queue = tasksOf(plan);
    await Promise.all(
      workers.map(async (worker) => {
        for (let task = queue.shift(); task; task = queue.shift()) await ask(worker, task);
      }),
    );
    trace(`files written: ${since()}`);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
