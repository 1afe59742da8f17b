import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** What the OS says of a running process. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** When it started, in the OS's own terms: with the pid, it names one process even after the pid is reused. */
  started: string;
  command: string;
}

const HAS_PROC = existsSync('/proc/self/stat');
/** Reading /proc costs next to nothing; running `ps` costs a process start. */
export const PROCESS_INFO_IS_CHEAP = HAS_PROC;

/**
 * The process `pid`, or undefined when none runs under that pid. A zombie (exited, not yet reaped: what an init
 * that does not reap leaves of an orphan) counts as gone, since it runs nothing. Linux reads /proc; elsewhere `ps`.
 */
export function processInfo(pid: number): ProcessInfo | undefined {
  return HAS_PROC ? fromProc(pid) : fromPs(pid);
}

function fromProc(pid: number): ProcessInfo | undefined {
  let stat: string;
  let cmdline: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid … starttime …": comm may hold spaces and parentheses, so split after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, ppid, started] = [fields[0], Number(fields[1]), fields[19]];
  if (state === 'Z' || state === 'X' || !Number.isInteger(ppid) || started === undefined) return undefined;
  return { pid, ppid, started, command: cmdline.split('\0').filter(Boolean).join(' ') };
}

function fromPs(pid: number): ProcessInfo | undefined {
  let line: string;
  try {
    line = execFileSync('ps', ['-o', 'stat=,ppid=,lstart=,command=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch {
    return undefined;
  }
  // lstart is five words in the C locale: "Wed Dec  2 16:45:03 2026".
  const match = /^\s*(\S+)\s+(\d+)\s+(\S+\s+\S+\s+\d+\s+\S+\s+\d+)\s+(.*)$/.exec(line.trim());
  if (!match || match[1]!.startsWith('Z')) return undefined;
  return { pid, ppid: Number(match[2]), started: match[3]!.replace(/\s+/g, ' '), command: match[4]! };
}
