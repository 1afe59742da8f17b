import { basename } from 'node:path';
import { PROCESS_INFO_IS_CHEAP, processInfo } from './processes';

/** A process that launched this one and went away (its pid unknown when it was gone before the watch began). */
export interface GoneLauncher {
  name: string;
  pid?: number;
}

interface Link {
  child: number;
  parent: number;
  parentName: string;
}

export interface LauncherChain {
  /** From this process up to the package manager that launched it, or to its parent alone when none is within reach. */
  links: Link[];
  /** A package manager ran us (`npm_lifecycle_event`), yet our ancestors reach init without it: it has already exited. */
  launcherGone: boolean;
}

/** npm, sh -c, tsx, and one more for a wrapper. */
const MAX_LAUNCHERS = 4;
const PACKAGE_MANAGERS = new Set(['npm', 'npx', 'pnpm', 'yarn', 'bun']);

/**
 * `npm start` runs `npm` → `sh -c` → `tsx` → node. On SIGTERM, npm passes the signal to its `sh -c` only, which dies
 * without passing it on: tsx and node are left to init, still serving. So the runtime watches the chain of parents up
 * to npm and stops when a link breaks (a process whose parent died gets another parent), however npm or the shell
 * ended. Without npm within reach (`tsx infra/local/main.ts`, a test), it watches its parent alone.
 */
export function launcherChain(pid = process.pid): LauncherChain {
  const links: Link[] = [];
  let child = processInfo(pid);
  while (child && child.ppid > 0 && links.length < MAX_LAUNCHERS) {
    const parent = processInfo(child.ppid);
    if (!parent) break;
    links.push({ child: child.pid, parent: parent.pid, parentName: nameOf(parent.command) });
    if (isPackageManager(parent.command)) return { links, launcherGone: false };
    if (parent.pid === 1) return { links: links.slice(0, 1), launcherGone: process.env['npm_lifecycle_event'] !== undefined };
    child = parent;
  }
  return { links: links.slice(0, 1), launcherGone: false };
}

/** Calls `onGone` once, as soon as a process of the launcher chain has gone; returns a function that stops watching. */
export function watchLaunchers(onGone: (launcher: GoneLauncher) => void, intervalMs = PROCESS_INFO_IS_CHEAP ? 250 : 1_000): () => void {
  const { links, launcherGone } = launcherChain();
  if (launcherGone) {
    setImmediate(() => onGone({ name: basename(process.env['npm_execpath'] ?? 'npm').replace(/(-cli)?\.[cm]?js$/, '') }));
    return () => undefined;
  }
  const timer = setInterval(() => {
    const broken = links.find((link) => processInfo(link.child)?.ppid !== link.parent);
    if (!broken) return;
    clearInterval(timer);
    onGone({ pid: broken.parent, name: broken.parentName });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function isPackageManager(command: string): boolean {
  const execPath = process.env['npm_execpath'];
  return PACKAGE_MANAGERS.has(nameOf(command)) || (execPath !== undefined && execPath !== '' && command.includes(execPath));
}

/** `npm` for npm (its title "npm start", or node running npm-cli.js), `tsx` for node running tsx, else the program. */
function nameOf(command: string): string {
  const [program = '', ...args] = command.split(' ');
  const script = args.find((arg) => !arg.startsWith('-')) ?? '';
  return basename(/^node(js)?$/.test(basename(program)) ? script : program).replace(/(-cli)?\.[cm]?js$/, '');
}
