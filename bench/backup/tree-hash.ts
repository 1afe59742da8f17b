// A digest of a folder tree (names, kinds, sizes, contents) to check that a restore is byte-identical to its source.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface TreeDigest {
  digest: string;
  files: number;
  dirs: number;
  bytes: number;
  /** Relative path (folders end with `/`) → what was found there. */
  entries: Map<string, string>;
}

const READ_BUFFER = Buffer.allocUnsafe(4 << 20);

function hashFile(path: string): { size: number; sha256: string } {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  let size = 0;
  try {
    for (let read = readSync(fd, READ_BUFFER); read > 0; read = readSync(fd, READ_BUFFER)) {
      hash.update(READ_BUFFER.subarray(0, read));
      size += read;
    }
  } finally {
    closeSync(fd);
  }
  return { size, sha256: hash.digest('hex') };
}

/** Walks `root` in byte order of names; folders (empty ones included), files and links count, the root's own name does not. */
export function hashTree(root: string): TreeDigest {
  const entries = new Map<string, string>();
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  const walk = (dir: string, prefix: string) => {
    const children = readdirSync(dir, { withFileTypes: true }).sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    for (const child of children) {
      const relative = `${prefix}${child.name}`;
      const path = join(dir, child.name);
      if (child.isDirectory()) {
        dirs++;
        entries.set(`${relative}/`, 'dir');
        walk(path, `${relative}/`);
      } else if (child.isFile()) {
        const { size, sha256 } = hashFile(path);
        files++;
        bytes += size;
        entries.set(relative, `file ${size} ${sha256}`);
      } else if (child.isSymbolicLink()) {
        entries.set(relative, `link ${readlinkSync(path)}`);
      } else {
        entries.set(relative, 'other');
      }
    }
  };
  walk(root, '');
  const digest = createHash('sha256');
  for (const [path, what] of entries) digest.update(`${path}\0${what}\n`);
  return { digest: digest.digest('hex'), files, dirs, bytes, entries };
}

/** The first `limit` differences between two trees, in words. */
export function treeDifferences(expected: TreeDigest, actual: TreeDigest, limit = 10): string[] {
  const differences: string[] = [];
  for (const [path, what] of expected.entries) {
    const found = actual.entries.get(path);
    if (found === undefined) differences.push(`missing: ${path}`);
    else if (found !== what) differences.push(`differs: ${path} (expected ${what}, found ${found})`);
    if (differences.length >= limit) return differences;
  }
  for (const path of actual.entries.keys()) {
    if (!expected.entries.has(path)) differences.push(`unexpected: ${path}`);
    if (differences.length >= limit) break;
  }
  return differences;
}
