// Runs a tool's command under GNU time (`/usr/bin/time -v`): wall time measured here, peak RSS as the kernel
// reports it for the command's process tree (the largest single process, threads included; a process's worker
// threads share its memory, so they count).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  wallMs: number;
  peakRssBytes: number;
}

export interface CommandOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr go here (appended). */
  logFile: string;
  /** Kill the command after this long. */
  timeoutMs?: number;
}

export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly logTail: string,
  ) {
    super(`${command} failed (exit ${exitCode ?? 'signal'}):\n${logTail}`);
    this.name = 'CommandFailed';
  }
}

export async function runMeasured(argv: string[], options: CommandOptions): Promise<Measured> {
  const statsFile = `${options.logFile}.time-${process.pid}-${Date.now()}`;
  const out = openSync(options.logFile, 'a');
  const started = process.hrtime.bigint();
  let exitCode: number | null;
  try {
    const child = spawn(GNU_TIME, ['-v', '-o', statsFile, ...argv], { env: options.env, cwd: options.cwd, stdio: ['ignore', out, out] });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    }).finally(() => clearTimeout(timer));
  } finally {
    closeSync(out);
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const command = argv.join(' ');
  let stats = '';
  try {
    stats = readFileSync(statsFile, 'utf8');
  } catch {
    // GNU time writes nothing when the command could not start; the log says why.
  } finally {
    rmSync(statsFile, { force: true });
  }
  if (exitCode !== 0) throw new CommandFailed(command, exitCode, tail(options.logFile));
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stats);
  if (!rss) throw new Error(`no peak RSS in ${GNU_TIME} -v output for ${command}:\n${stats}`);
  return { wallMs, peakRssBytes: Number(rss[1]) * 1024 };
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Sums the wall times and keeps the largest peak of several commands that make one phase. */
export function combine(parts: Measured[]): Measured {
  return { wallMs: parts.reduce((sum, p) => sum + p.wallMs, 0), peakRssBytes: Math.max(0, ...parts.map((p) => p.peakRssBytes)) };
}

/**
 * Runs a short command and returns its stdout. Asynchronous on purpose: a tool that talks to a server of this very
 * process (restic to the S3 server) would wait forever on a blocked event loop.
 */
export async function capture(argv: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { status, stdout, stderr };
}
