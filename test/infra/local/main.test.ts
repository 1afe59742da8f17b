import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/local/paths';

const homes: string[] = [];
afterAll(async () => Promise.all(homes.map((h) => rm(h, { recursive: true, force: true }))));

/** Java processes whose command line names this home: DynamoDB Local started by this `npm start`. */
const javaProcessesUsing = (home: string): string[] => {
  try {
    return execFileSync('pgrep', ['-f', `dbPath ${home}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

async function runStart(home: string, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, VIGIE_HOME: home, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  return { child, url, exited, output: () => output };
}

describe('npm start', () => {
  it('comes up healthy with a demo contract, keeps data across restarts, and stops cleanly on Ctrl-C', { timeout: 240_000 }, async () => {
    const home = await mkdtemp(join(tmpdir(), 'vigie-start-'));
    homes.push(home);

    const first = await runStart(home);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    const contractId = /Demo contract (\w{26})/.exec(first.output())?.[1];
    expect(contractId).toBeDefined();
    expect(first.output()).toContain('npm run --silent token -- --role admin');
    expect(javaProcessesUsing(home).length).toBeGreaterThan(0);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(javaProcessesUsing(home)).toEqual([]);

    const second = await runStart(home);
    expect(second.output()).toContain(`Demo contract ${contractId}`);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    const fresh = await runStart(home, ['--fresh']);
    expect(fresh.output()).not.toContain(`Demo contract ${contractId}`);
    fresh.child.kill('SIGTERM');
    expect(await fresh.exited).toBe(0);
    expect(javaProcessesUsing(home)).toEqual([]);
  });

  it('prints its options with --help', () => {
    const help = execFileSync(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(help).toContain('--fresh');
    expect(help).toContain('VIGIE_PORT');
  });
});
