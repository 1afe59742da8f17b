import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, localPaths } from '../../../infra/local/paths';
import { processInfo } from '../../../infra/local/processes';

const homes: string[] = [];
afterAll(async () => Promise.all(homes.map((h) => rm(h, { recursive: true, force: true }))));
const newHome = async () => {
  const home = await mkdtemp(join(tmpdir(), 'vigie-start-'));
  homes.push(home);
  return home;
};
const env = (home: string) => ({ ...process.env, VIGIE_HOME: home, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

/** Java processes whose command line names this home: DynamoDB Local started by this `npm start`. */
const javaProcessesUsing = (home: string): string[] => {
  try {
    return execFileSync('pgrep', ['-f', `dbPath ${home}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

/** Every process below `pid`: for `npm start`, its sh, tsx, node, esbuild, Java and Java's reaper. */
const descendantsOf = (pid: number): number[] => {
  const children = new Map<number, number[]>();
  for (const line of execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
};
const stillRunning = (pids: number[]) => pids.filter((pid) => processInfo(pid) !== undefined);

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Starts the runtime as a user does (`npm start`) or as its node process alone, and waits until it serves. */
async function runStart(home: string, args: string[] = [], { viaNpm = false, ownProcessGroup = false } = {}) {
  const [command, argv] = viaNpm
    ? ['npm', ['start', '--', '--port', '0', ...args]]
    : [process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--port', '0', ...args]];
  // In its own process group, it can be sent what a terminal sends on Ctrl-C: SIGINT to every process of the group.
  const child = spawn(command, argv, { cwd: REPO_ROOT, env: env(home), stdio: ['ignore', 'pipe', 'pipe'], detached: ownProcessGroup });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!/HTTP API\s+(http:\/\/\S+)/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /HTTP API\s+(http:\/\/\S+)/.exec(output)![1]!;
  return { child, pid: child.pid!, url, exited, output: () => output };
}

/** Runs a start expected to fail, to its end. */
function runFailingStart(home: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', ...args], { cwd: REPO_ROOT, env: env(home), timeout: 60_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('npm start', () => {
  it('--fresh wipes the data; a second start on the same data or port is refused before Java; SIGTERM to the npm process alone stops every process', { timeout: 180_000 }, async () => {
    const home = await newHome();
    const earlier = join(localPaths(home).dynamo, 'earlier-data');
    await mkdir(localPaths(home).dynamo, { recursive: true });
    await writeFile(earlier, '');
    const started = await runStart(home, ['--fresh'], { viaNpm: true });
    expect(started.output()).toContain(`vigie: wiped ${localPaths(home).data}`);
    expect(existsSync(earlier)).toBe(false);
    expect((await fetch(`${started.url}/health`)).status).toBe(200);
    const processes = descendantsOf(started.pid);
    expect(processes.length).toBeGreaterThanOrEqual(4);
    const java = javaProcessesUsing(home);
    expect(java).toHaveLength(1);
    const holder = (JSON.parse(await readFile(localPaths(home).dataLock, 'utf8')) as { pid: number }).pid;
    expect(processes).toContain(holder);

    const sameHome = await runFailingStart(home, ['--port', '0']);
    expect(sameHome.code).toBe(1);
    expect(sameHome.stderr).toBe(`vigie: another npm start (pid ${holder}) is using ${localPaths(home).data}: stop it, or give this one another VIGIE_HOME\n`);
    expect(sameHome.stdout).not.toContain('starting DynamoDB Local');
    expect(javaProcessesUsing(home)).toEqual(java);

    const otherHome = await newHome();
    const port = new URL(started.url).port;
    const samePort = await runFailingStart(otherHome, ['--port', port]);
    expect(samePort.code).toBe(1);
    expect(samePort.stderr).toMatch(new RegExp(`^vigie: port ${port} on 127.0.0.1 is in use: [^\\n]+\\n$`));
    expect(javaProcessesUsing(otherHome)).toEqual([]);
    expect(existsSync(localPaths(otherHome).dataLock)).toBe(false);

    // What `npm start & … kill $!` does: npm passes SIGTERM to its sh only, which dies without passing it on.
    started.child.kill('SIGTERM');
    await started.exited;
    await until(() => stillRunning(processes).length === 0, 15_000);
    expect(stillRunning(processes)).toEqual([]);
    expect(javaProcessesUsing(home)).toEqual([]);
    await expect(fetch(`${started.url}/health`)).rejects.toThrow();
    expect(existsSync(localPaths(home).dataLock)).toBe(false);
  });

  it('SIGKILL of its node process: DynamoDB Local goes within seconds; the next start takes over, with the data; Ctrl-C stops everything', { timeout: 180_000 }, async () => {
    const home = await newHome();
    const killed = await runStart(home);
    const contractId = /Demo contract (\w{26})/.exec(killed.output())?.[1];
    expect(contractId).toBeDefined();
    expect(killed.output()).toContain('npm run --silent token -- --role admin');
    expect(javaProcessesUsing(home)).toHaveLength(1);
    killed.child.kill('SIGKILL');
    expect(await until(() => javaProcessesUsing(home).length === 0, 5_000)).toBe(true);
    await expect(fetch(`${killed.url}/health`)).rejects.toThrow();

    const second = await runStart(home, [], { viaNpm: true, ownProcessGroup: true });
    expect(second.output()).toContain(`the previous npm start (pid ${killed.pid}) ended without releasing its lock`);
    expect(second.output()).toContain(`Demo contract ${contractId}`);
    expect((await fetch(`${second.url}/health`)).status).toBe(200);
    const processes = descendantsOf(second.pid);
    process.kill(-second.pid, 'SIGINT');
    await second.exited;
    await until(() => stillRunning(processes).length === 0, 15_000);
    expect(stillRunning(processes)).toEqual([]);
    expect(javaProcessesUsing(home)).toEqual([]);
    expect(second.output()).toContain('vigie: stopped.');
  });

  it('prints its options with --help; bad usage is one line and exit 2', async () => {
    const help = execFileSync(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(help).toContain('--fresh');
    expect(help).toContain('VIGIE_PORT');
    const bad = await runFailingStart(await newHome(), ['--port', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: option '--port <port>' argument '70000' is invalid\. [^\n]+\n$/);
    expect(help).toContain('--clock-offset');
    expect(help).toContain('VIGIE_CLOCK_SCALE');
    const badClock = await runFailingStart(await newHome(), ['--clock-offset', 'tomorrow']);
    expect(badClock.code).toBe(2);
    expect(badClock.stderr).toMatch(/^error: clock offset 'tomorrow' is neither a duration [^\n]+\n$/);
  });
});
