import { basename } from 'node:path';
import { processInfo } from './processes';

/** A process that launched this one and went away. */
export interface GoneLauncher {
  pid: number;
  name: string;
}

interface Link {
  child: number;
  parent: number;
  parentName: string;
}

/** npm, sh -c, tsx, and one more for a wrapper such as `npm exec`. */
const MAX_LAUNCHERS = 4;

/**
 * `npm start` runs `npm` → `sh -c` → `tsx` → node. On SIGTERM, npm passes the signal to its `sh -c` only, which dies
 * without passing it on: tsx and node are left to init, still serving. So the runtime watches the chain of parents up
 * to npm and stops when a link breaks (a process whose parent died gets another parent), however npm or the shell
 * ended. Without npm within reach (`tsx infra/local/main.ts`, a test), it watches its parent alone.
 */
export function launcherChain(pid = process.pid): Link[] {
  const links: Link[] = [];
  let child = processInfo(pid);
  while (child && child.ppid > 1 && links.length < MAX_LAUNCHERS) {
    const parent = processInfo(child.ppid);
    if (!parent) break;
    links.push({ child: child.pid, parent: parent.pid, parentName: nameOf(parent.command) });
    if (nameOf(parent.command) === 'npm') return links;
    child = parent;
  }
  return links.slice(0, 1);
}

/** Calls `onGone` once, as soon as a process of the launcher chain has gone; returns a function that stops watching. */
export function watchLaunchers(onGone: (launcher: GoneLauncher) => void, intervalMs = 250): () => void {
  const chain = launcherChain();
  const timer = setInterval(() => {
    const broken = chain.find((link) => processInfo(link.child)?.ppid !== link.parent);
    if (!broken) return;
    clearInterval(timer);
    onGone({ pid: broken.parent, name: broken.parentName });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** `npm` for npm (its title "npm start", or node running npm-cli.js), `tsx` for node running tsx, else the program. */
function nameOf(command: string): string {
  const [program = '', ...args] = command.split(' ');
  const script = args.find((arg) => !arg.startsWith('-')) ?? '';
  const name = basename(/^node(js)?$/.test(basename(program)) ? script : program);
  return name === 'npm-cli.js' ? 'npm' : name;
}
