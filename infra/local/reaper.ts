import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Its stdin is a pipe whose other end only this node process holds: `read` returns at end of file, which comes when
 * this process exits, however it exits (SIGKILL included). It then stops the child (SIGTERM, then SIGKILL after 5 s).
 */
const REAPER_SCRIPT = `# vigie: stops pid $1 once the node process that started it is gone
read -r _
kill -TERM "$1" 2>/dev/null || exit 0
i=0
while [ "$i" -lt 50 ] && kill -0 "$1" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -0 "$1" 2>/dev/null && kill -KILL "$1"
`;

/**
 * Makes `child` (a server such as DynamoDB Local's Java) stop when this process ends, even when it is killed with no
 * chance to clean up: a child is otherwise left to init, still running. A tiny `sh` waits for this process's end; it is
 * dismissed as soon as the child exits, so it never signals a pid that could have been reused. Returns the reaper.
 */
export function stopWithThisProcess(child: ChildProcess): ChildProcess | undefined {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return undefined;
  const reaper = spawn('/bin/sh', ['-c', REAPER_SCRIPT, 'vigie-reaper', String(child.pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  const stdin = reaper.stdin as Socket;
  stdin.on('error', () => undefined);
  reaper.on('error', () => undefined);
  // Neither keeps this process alive: the reaper matters only once it is gone.
  reaper.unref();
  stdin.unref();
  child.once('exit', () => {
    reaper.kill('SIGKILL');
    stdin.destroy();
  });
  return reaper;
}
