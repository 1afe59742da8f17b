import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { excluder, walk, type WalkProblem } from '../../../agent/src/fs/walk';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vigie-walk-'));
  await mkdir(join(root, 'b/deep/er'), { recursive: true });
  await mkdir(join(root, 'a'));
  await mkdir(join(root, 'empty'));
  await mkdir(join(root, 'node_modules/x'), { recursive: true });
  await writeFile(join(root, 'b/deep/er/é à ü.txt'), 'x');
  await writeFile(join(root, 'a/z.doc'), 'z');
  await writeFile(join(root, 'a/A.doc'), 'A');
  await writeFile(join(root, 'a/cache.tmp'), 't');
  await writeFile(join(root, 'node_modules/x/i.js'), 'i');
  await symlink('a/z.doc', join(root, 'link'));
  await mkdir(join(root, 'locked'));
  await writeFile(join(root, 'locked/secret'), 's');
  await chmod(join(root, 'locked'), 0o000);
});
afterAll(async () => {
  await chmod(join(root, 'locked'), 0o755);
  await rm(root, { recursive: true, force: true });
});

const collect = async (options: Parameters<typeof walk>[1] = {}) => {
  const seen: string[] = [];
  for await (const entry of walk([root], options)) seen.push(`${entry.type} ${relative(root, entry.path) || '.'}`);
  return seen;
};

describe('walk', () => {
  it('visits folders before their content, names in code-point order, symlinks not followed', async () => {
    const problems: WalkProblem[] = [];
    const seen = await collect({ onProblem: (p) => problems.push(p) });
    expect(seen).toEqual([
      'dir .',
      'dir a',
      'file a/A.doc',
      'file a/cache.tmp',
      'file a/z.doc',
      'dir b',
      'dir b/deep',
      'dir b/deep/er',
      'file b/deep/er/é à ü.txt',
      'dir empty',
      'symlink link',
      'dir locked',
      ...(process.getuid?.() === 0 ? ['file locked/secret'] : []),
      'dir node_modules',
      'dir node_modules/x',
      'file node_modules/x/i.js',
    ]);
    // Running as root reads everything; otherwise the locked folder is named, not silently skipped.
    if (process.getuid?.() !== 0) expect(problems.map((p) => relative(root, p.path))).toEqual(['locked']);
  });

  it('leaves out what the exclusions match, by name anywhere or by whole path', async () => {
    const seen = await collect({ exclude: ['*.tmp', 'node_modules', `${root.replace(/\\/g, '/')}/b/deep/**`] });
    expect(seen).not.toContain('file a/cache.tmp');
    expect(seen.some((s) => s.includes('node_modules'))).toBe(false);
    expect(seen).toContain('dir b');
    expect(seen.some((s) => s.includes('b/deep'))).toBe(false);
  });

  it('names a root that does not exist as a problem', async () => {
    const problems: WalkProblem[] = [];
    for await (const _ of walk([join(root, 'nope')], { onProblem: (p) => problems.push(p) })) throw new Error('nothing to see');
    expect(problems).toHaveLength(1);
  });

  it('matches Windows-style paths by their forward-slash form', () => {
    const excluded = excluder(['C:/Data/cache/**', '~$*']);
    expect(excluded('C:\\Data\\cache\\x.bin')).toBe(true);
    expect(excluded('C:\\Data\\~$rapport.docx')).toBe(true);
    expect(excluded('C:\\Data\\rapport.docx')).toBe(false);
  });
});
