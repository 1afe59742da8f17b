import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';

/** One thing found under a backup root: its native path and what lstat said (symlinks are not followed). */
export interface WalkEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  stats: Stats;
}

export interface WalkProblem {
  path: string;
  message: string;
}

export interface WalkOptions {
  /**
   * Glob patterns (picomatch) of what to leave out: a pattern without a slash matches a name anywhere (`*.tmp`,
   * `node_modules`); with a slash, the whole path in forward-slash form (`C:/Data/cache/**`, `/srv/tmp/*`).
   */
  exclude?: readonly string[];
  /** Told of what could not be read (a folder without permission): it is named in the backup's summary. */
  onProblem?: (problem: WalkProblem) => void;
}

const forwardSlashes = (path: string) => path.replace(/\\/g, '/');

/** An exclusion test built once: matches a native path by its name or its whole forward-slash path. */
export function excluder(patterns: readonly string[] = []): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const byName = patterns.filter((p) => !p.includes('/'));
  const byPath = patterns.filter((p) => p.includes('/'));
  const nameMatch = byName.length > 0 ? picomatch(byName, { dot: true, nocase: process.platform === 'win32' }) : () => false;
  const pathMatch = byPath.length > 0 ? picomatch(byPath, { dot: true, nocase: process.platform === 'win32' }) : () => false;
  return (path) => {
    const slashed = forwardSlashes(path);
    return nameMatch(slashed.slice(slashed.lastIndexOf('/') + 1)) || pathMatch(slashed);
  };
}

const typeOf = (stats: Stats): WalkEntry['type'] | undefined =>
  stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : undefined;

/**
 * Walks the roots depth first, folders before their content, names in code-point order (so two walks of the same
 * tree give the same order, and the manifests of unchanged trees are equal). Sockets, devices and pipes are skipped.
 */
export async function* walk(roots: readonly string[], options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const excluded = excluder(options.exclude);
  for (const root of roots) {
    let stats: Stats;
    try {
      stats = await lstat(root);
    } catch (error) {
      options.onProblem?.({ path: root, message: (error as Error).message });
      continue;
    }
    yield* visit(root, stats);
  }

  async function* visit(path: string, stats: Stats): AsyncGenerator<WalkEntry> {
    const type = typeOf(stats);
    if (type === undefined || excluded(path)) return;
    yield { path, type, stats };
    if (type !== 'dir') return;
    let children: Dirent[];
    try {
      children = await readdir(path, { withFileTypes: true });
    } catch (error) {
      options.onProblem?.({ path, message: (error as Error).message });
      return;
    }
    const names = children.map((child) => child.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const child = join(path, name);
      let childStats: Stats;
      try {
        childStats = await lstat(child);
      } catch (error) {
        // Gone between the listing and now, or not ours to read: named, never silently skipped.
        options.onProblem?.({ path: child, message: (error as Error).message });
        continue;
      }
      yield* visit(child, childStats);
    }
  }
}
