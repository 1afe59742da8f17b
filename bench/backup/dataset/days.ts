// Simulated days: what changes on the file server between one night's backup and the next. Deterministic in
// (seed, day), so "day N" is always the same tree and day 0 can be restored by rewriting only what changed.
import { EXTENT_SIZE, PAGE_SIZE } from './content';
import { chooseKind, type DatasetPlan, type FileSpec, MIB } from './layout';
import { logUniform, pick, prng } from './random';
import { FILE_STEMS } from './words';

/** Share of the database's pages rewritten per day. */
export const DATABASE_DAILY_CHANGE = 0.01;
/** Of those, the share that are the newest entries: one contiguous run near the end of the file. */
const DATABASE_TAIL_SHARE = 0.4;
const EDITED_SMALL_FILES = 20;
const DELETED_SMALL_FILES = 5;
const ADDED_DOCUMENTS = 6;

export interface DayChanges {
  day: number;
  /** Database extents rewritten (ascending). */
  extents: number[];
  /** Small files rewritten with other content and size. */
  edited: FileSpec[];
  deleted: FileSpec[];
  /** New documents, in `addedDir`. */
  added: FileSpec[];
  addedDir: string;
}

export function describeDailyChange(): string {
  return `database: ${DATABASE_DAILY_CHANGE * 100} % of its ${PAGE_SIZE / 1024} KiB pages rewritten in whole ${EXTENT_SIZE / 1024} KiB extents (${DATABASE_TAIL_SHARE * 100} % as one run among the newest pages, the rest scattered); ${ADDED_DOCUMENTS} new documents; ${EDITED_SMALL_FILES} small files edited and ${DELETED_SMALL_FILES} deleted`;
}

/** The changes of days 1…`until`, in order. */
export function changesOfDays(plan: DatasetPlan, until: number): DayChanges[] {
  const gone = new Set<number>();
  const history: DayChanges[] = [];
  for (let day = 1; day <= until; day++) {
    const changes = changesOfDay(plan, day, gone);
    for (const file of changes.deleted) gone.add(file.id);
    history.push(changes);
  }
  return history;
}

function changesOfDay(plan: DatasetPlan, day: number, gone: Set<number>): DayChanges {
  const random = prng((plan.seed ^ Math.imul(day, 0x9e37_79b1)) >>> 0);
  const total = plan.database.extents;
  const changed = Math.max(1, Math.round(total * DATABASE_DAILY_CHANGE));
  const tail = Math.max(1, Math.round(changed * DATABASE_TAIL_SHARE));
  const recent = Math.max(tail, Math.ceil(total * 0.03));
  const extents = new Set<number>();
  const tailStart = total - recent + Math.floor(random() * (recent - tail + 1));
  for (let i = 0; i < tail; i++) extents.add(tailStart + i);
  while (extents.size < Math.min(changed, total)) extents.add(Math.floor(random() * total));

  const candidates = plan.files.filter((f) => f.category === 'small-files' && f.kind !== 'binary' && !gone.has(f.id));
  const chosen = new Set<number>();
  const draw = () => {
    for (;;) {
      const file = candidates[Math.floor(random() * candidates.length)]!;
      if (!chosen.has(file.id)) {
        chosen.add(file.id);
        return file;
      }
    }
  };
  const edited = Array.from({ length: Math.min(EDITED_SMALL_FILES, candidates.length / 4) }, () => {
    const file = draw();
    return { ...file, size: Math.round(file.size * (0.8 + 0.7 * random())) };
  });
  const deleted = Array.from({ length: Math.min(DELETED_SMALL_FILES, candidates.length / 4) }, draw);

  const addedDir = `Courrier entrant/Jour ${day}`;
  const cap = Math.max(64 * 1024, Math.floor(plan.size * 0.0005));
  const added = Array.from({ length: ADDED_DOCUMENTS }, (_, index): FileSpec => {
    const choice = chooseKind(random, [
      { kind: 'zipped-office', weight: 2, min: 32 * 1024, max: 2 * MIB, extensions: ['docx', 'xlsx'] },
      { kind: 'pdf', weight: 2, min: 64 * 1024, max: 4 * MIB, extensions: ['pdf'] },
      { kind: 'mail', weight: 1, min: 8 * 1024, max: MIB, extensions: ['eml'] },
      { kind: 'csv', weight: 1, min: 64 * 1024, max: 4 * MIB, extensions: ['csv'] },
    ]);
    return {
      id: plan.files.length + day * 1_000 + index,
      path: `${addedDir}/${pick(random, FILE_STEMS)} du jour ${day} n°${index + 1}.${pick(random, choice.extensions)}`,
      category: choice.kind === 'zipped-office' || choice.kind === 'pdf' ? 'office-zipped' : 'office-text',
      kind: choice.kind,
      size: Math.min(cap, logUniform(random, choice.min, choice.max)),
    };
  });
  return { day, extents: [...extents].sort((a, b) => a - b), edited, deleted, added, addedDir };
}

/** Bytes a day rewrote or added (database extents, edited and new files); deletions count nothing. */
export function bytesChanged(changes: DayChanges): number {
  return changes.extents.length * EXTENT_SIZE + [...changes.edited, ...changes.added].reduce((sum, file) => sum + file.size, 0);
}
