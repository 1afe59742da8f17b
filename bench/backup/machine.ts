// The machine a run happened on, and how loaded it was: figures from a shared 2-core machine mean little without it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  /** Filesystem type of the benchmark folder (data set, repositories, restores). */
  benchFilesystem: string;
}

export function describeMachine(benchDir: string): Machine {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  const fs = spawnSync('df', ['--output=fstype', benchDir], { encoding: 'utf8' });
  return {
    nproc: availableParallelism(),
    cpuModel,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    benchFilesystem: fs.status === 0 ? (fs.stdout.trim().split('\n').pop() ?? 'unknown') : 'unknown',
  };
}

export interface LoadFigures {
  /** 1-minute load average when the run started and ended, and its range sampled every 5 s in between. */
  atStart: number;
  atEnd: number;
  min: number;
  max: number;
  mean: number;
}

export class LoadSampler {
  private readonly samples: number[] = [loadavg()[0]!];
  private readonly timer = setInterval(() => this.samples.push(loadavg()[0]!), 5_000);

  constructor() {
    this.timer.unref();
  }

  stop(): LoadFigures {
    clearInterval(this.timer);
    this.samples.push(loadavg()[0]!);
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      atStart: round(this.samples[0]!),
      atEnd: round(this.samples[this.samples.length - 1]!),
      min: round(Math.min(...this.samples)),
      max: round(Math.max(...this.samples)),
      mean: round(this.samples.reduce((a, b) => a + b, 0) / this.samples.length),
    };
  }
}
