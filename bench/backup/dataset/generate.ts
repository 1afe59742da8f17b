// Writes a planned data set to disk, and moves it from one simulated day to the next (or back to day 0).
import { closeSync, ftruncateSync, mkdirSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXTENT_SIZE, writeContent, writeDatabaseExtent, type Pools } from './content';
import { changesOfDays, type DayChanges } from './days';
import type { DatasetPlan, FileSpec } from './layout';

/** Extents written per write call. */
const EXTENTS_PER_WRITE = 16;

export class TreeWriter {
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private readonly extents = Buffer.allocUnsafe(EXTENT_SIZE * EXTENTS_PER_WRITE);
  private readonly made = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly plan: DatasetPlan,
    private readonly pools: Pools,
    /** Folders known to exist already (a worker writes into a tree whose folders the main thread made). */
    existingDirs: Iterable<string> = [],
  ) {
    for (const dir of existingDirs) this.made.add(dir);
  }

  /** The files of day 0 (after `makeSkeleton`). */
  writeAll(): void {
    this.writeDatabase(Array.from({ length: this.plan.database.extents }, (_, i) => i), 0);
    for (const file of this.plan.files) this.writeFile(file, 0);
  }

  /** Every folder of the plan, and the database file at its full size (so extents can be written in any order). */
  makeSkeleton(): void {
    for (const dir of this.plan.dirs) this.mkdir(dir);
    const fd = openSync(join(this.root, this.plan.database.path), 'w');
    try {
      ftruncateSync(fd, this.plan.database.extents * EXTENT_SIZE);
    } finally {
      closeSync(fd);
    }
  }

  writeFile(file: FileSpec, version: number): void {
    this.mkdir(dirname(file.path));
    const fd = openSync(join(this.root, file.path), 'w');
    try {
      writeContent(file.kind, file.size, `${this.plan.seed}/file/${file.id}/v${version}`, this.pools, (chunk) => writeAllOf(fd, chunk), this.buffer);
    } finally {
      closeSync(fd);
    }
  }

  /** Rewrites `extents` (ascending) of the database in place with their content at `version`. */
  writeDatabase(extents: number[], version: number): void {
    const path = join(this.root, this.plan.database.path);
    const fd = openSync(path, 'r+');
    try {
      for (let i = 0; i < extents.length; ) {
        // Group consecutive extents into one write.
        const first = extents[i]!;
        let count = 0;
        while (count < EXTENTS_PER_WRITE && i < extents.length && extents[i] === first + count) {
          writeDatabaseExtent(this.extents.subarray(count * EXTENT_SIZE, (count + 1) * EXTENT_SIZE), first + count, version, this.pools);
          count++;
          i++;
        }
        writeAllOf(fd, this.extents.subarray(0, count * EXTENT_SIZE), first * EXTENT_SIZE);
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Moves the tree from `day - 1` to `day`. */
  applyDay(changes: DayChanges): void {
    this.writeDatabase(changes.extents, changes.day);
    for (const file of changes.edited) this.writeFile(file, changes.day);
    for (const file of changes.deleted) rmSync(join(this.root, file.path));
    for (const file of changes.added) this.writeFile(file, 0);
  }

  /** Moves the tree from `day` back to day 0: only what days 1…day touched is rewritten or removed. */
  resetFrom(day: number): void {
    const history = changesOfDays(this.plan, day);
    const extents = new Set(history.flatMap((c) => c.extents));
    this.writeDatabase([...extents].sort((a, b) => a - b), 0);
    const touched = new Map<number, FileSpec>();
    for (const c of history) for (const file of [...c.edited, ...c.deleted]) touched.set(file.id, this.plan.files[file.id]!);
    for (const file of touched.values()) this.writeFile(file, 0);
    const planned = new Set(this.plan.dirs);
    for (const c of history) {
      rmSync(join(this.root, c.addedDir), { recursive: true, force: true });
      // And the folders above it that day 0 does not have, once empty.
      for (let dir = dirname(c.addedDir); dir !== '.' && !planned.has(dir); dir = dirname(dir)) {
        try {
          rmdirSync(join(this.root, dir));
        } catch {
          break; // not empty: another day's folder is still there
        }
      }
    }
  }

  private mkdir(dir: string): void {
    if (dir === '.' || dir === '' || this.made.has(dir)) return;
    mkdirSync(join(this.root, dir), { recursive: true });
    this.made.add(dir);
  }
}

function writeAllOf(fd: number, chunk: Buffer, position?: number): void {
  for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done, chunk.length - done, position === undefined ? null : position + done);
}
