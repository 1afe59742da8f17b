import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launcherChain, type LauncherChain } from '../../../infra/local/launcher-watch';
import { REPO_ROOT } from '../../../infra/local/paths';

let script: string;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-launchers-'));
  script = join(dir, 'runtime.ts');
  // Watches first, then reports the chain it watches and, later, what went.
  await writeFile(
    script,
    `import { launcherChain, watchLaunchers } from ${JSON.stringify(join(REPO_ROOT, 'infra/local/launcher-watch.ts'))};
watchLaunchers((gone) => {
  console.log(JSON.stringify(gone));
  process.exit(0);
});
console.log(JSON.stringify({ ...launcherChain(), ppid: process.ppid }));
setInterval(() => undefined, 1000);
`,
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const runScript = () => `'${process.execPath}' --import tsx '${script}'`;
const linesOf = (child: ReturnType<typeof spawn>) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const { npm_lifecycle_event: _event, npm_execpath: _execPath, ...envWithoutNpm } = process.env;

describe('launcher watch', () => {
  it('starts from the parent', () => {
    const chain = launcherChain();
    expect(chain.links[0]).toMatchObject({ child: process.pid, parent: process.ppid });
    expect(chain.launcherGone).toBe(false);
  });

  it('watches up to npm, and reports npm gone when it is killed though its shell lives on', { timeout: 20_000 }, async () => {
    // A stand-in for npm (same title) running the script through `sh -c`, as npm runs scripts.
    const npm = spawn(
      process.execPath,
      ['-e', "require('node:child_process').spawn('sh', ['-c', process.argv[1] + '; true'], { stdio: 'inherit' }); setInterval(() => {}, 1000)", runScript()],
      { argv0: 'npm', cwd: REPO_ROOT, env: { ...envWithoutNpm, npm_lifecycle_event: 'start' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let runtimePid: number | undefined;
    try {
      const lines = linesOf(npm);
      const chain = JSON.parse((await lines.next()).value as string) as LauncherChain;
      runtimePid = chain.links[0]?.child;
      expect(chain.links.map((link) => link.parentName)).toEqual(['sh', 'npm']);
      expect(chain.links.at(-1)!.parent).toBe(npm.pid);
      expect(chain.launcherGone).toBe(false);

      npm.kill('SIGKILL');
      expect(JSON.parse((await lines.next()).value as string)).toEqual({ pid: npm.pid, name: 'npm' });
    } finally {
      npm.kill('SIGKILL');
      if (runtimePid !== undefined) process.kill(runtimePid, 'SIGKILL');
    }
  });

  it('stops at once when npm was gone before the watch began (left to init)', { timeout: 20_000 }, async (context) => {
    // The subshell exits at once: the script is left to init, as tsx is when npm's shell dies early.
    const shell = spawn('sh', ['-c', `(${runScript()} &)`], { cwd: REPO_ROOT, env: { ...envWithoutNpm, npm_lifecycle_event: 'start' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = linesOf(shell);
    const first = JSON.parse((await lines.next()).value as string) as { ppid?: number; name?: string };
    // Where a subreaper adopts orphans instead of init, this case cannot be told from a live launcher.
    if (first.ppid !== undefined && first.ppid !== 1) context.skip();
    const gone = first.name === undefined ? (JSON.parse((await lines.next()).value as string) as { name: string }) : first;
    expect(gone).toEqual({ name: 'npm' });
  });
});
