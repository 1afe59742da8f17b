import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXTENT_SIZE } from '../../bench/backup/dataset/content';
import { ensureDataset, type Dataset } from '../../bench/backup/dataset';
import { changesOfDays } from '../../bench/backup/dataset/days';
import { planDataset } from '../../bench/backup/dataset/layout';
import { hashTree } from '../../bench/backup/tree-hash';

const SIZE = 24 * 2 ** 20;
const base = mkdtempSync(join(tmpdir(), 'vigie-bench-dataset-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('benchmark data set', () => {
  it('is a pure function of (seed, size), cached, and moves to day 1 and back', async () => {
    const first = await ensureDataset({ seed: 7, size: SIZE, baseDir: join(base, 'a') });
    const day0 = hashTree(first.root);
    expect(first.generated).toBe(true);
    expect(day0.bytes).toBe(first.manifest.bytes);
    expect(first.manifest.files).toBe(day0.files);
    first.release();

    // Another folder, the same seed and size: the same tree, byte for byte.
    const second = await ensureDataset({ seed: 7, size: SIZE, baseDir: join(base, 'b') });
    expect(hashTree(second.root).digest).toBe(day0.digest);
    second.release();

    const cached = await ensureDataset({ seed: 7, size: SIZE, baseDir: join(base, 'a') });
    try {
      await dayOneAndBack(cached, day0.digest);
    } finally {
      cached.release();
    }
  });

  async function dayOneAndBack(cached: Dataset, day0: string) {
    expect(cached.generated).toBe(false);
    const database = join(cached.root, cached.plan.database.path);
    const before = readFileSync(database);
    cached.advanceDay();
    const after = readFileSync(database);
    expect(after.length).toBe(before.length);
    const extents = before.length / EXTENT_SIZE;
    let changed = 0;
    for (let extent = 0; extent < extents; extent++) {
      if (!before.subarray(extent * EXTENT_SIZE, (extent + 1) * EXTENT_SIZE).equals(after.subarray(extent * EXTENT_SIZE, (extent + 1) * EXTENT_SIZE))) changed++;
    }
    expect(changed).toBe(changesOfDays(cached.plan, 1)[0]!.extents.length);
    expect(changed / extents).toBeGreaterThan(0.005);
    expect(changed / extents).toBeLessThan(0.02);
    expect(hashTree(cached.root).digest).not.toBe(day0);

    cached.resetToDayZero();
    expect(hashTree(cached.root).digest).toBe(day0);
  }

  it('refuses a second run on the same data set while the first holds it', async () => {
    const held = await ensureDataset({ seed: 7, size: SIZE, baseDir: join(base, 'a') });
    await expect(ensureDataset({ seed: 7, size: SIZE, baseDir: join(base, 'a') })).rejects.toThrow(/in use by process/);
    held.release();
  });

  it('plans 20,000 small files per GiB with non-ASCII names in a deep tree, and the category shares', () => {
    const plan = planDataset(20260302, 2 ** 30);
    const small = plan.files.filter((f) => f.category === 'small-files');
    expect(small).toHaveLength(20_000);
    expect(small.some((f) => /[^\x00-\x7f]/.test(f.path))).toBe(true);
    expect(Math.max(...small.map((f) => f.path.split('/').length))).toBeGreaterThanOrEqual(10);
    const bytes = (category: string) => plan.files.filter((f) => f.category === category).reduce((sum, f) => sum + f.size, 0);
    expect(plan.database.extents * EXTENT_SIZE).toBeGreaterThan(0.29 * 2 ** 30);
    expect(bytes('media') / 2 ** 30).toBeCloseTo(0.22, 2);
  });
});
