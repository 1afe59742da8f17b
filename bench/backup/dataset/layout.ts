// The plan of the data set: which files exist, where, of which kind and size. Drawn with the project's seeded
// PRNG, so (seed, size) always gives the same tree; the contents are written from it by generate.ts.
import { EXTENT_SIZE, type ContentKind } from './content';
import { logUniform, pick, prng } from './random';
import { COMPANIES, FILE_STEMS, FOLDER_WORDS } from './words';

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;
const KIB = 1024;

export type Category = 'database' | 'office-text' | 'office-legacy' | 'office-zipped' | 'media' | 'small-files';

/** Share of the data set's bytes per category (see docs/benchmarks.md for why this mix). */
export const CATEGORY_SHARES: Record<Category, number> = {
  database: 0.3,
  'office-text': 0.17,
  'office-legacy': 0.1,
  'office-zipped': 0.13,
  media: 0.22,
  'small-files': 0.08,
};

export const CATEGORY_DESCRIPTIONS: Record<Category, string> = {
  database: 'one database file of 8 KiB pages in 64 KiB extents (accounting rows), ~1 % of its pages rewritten per day',
  'office-text': 'plain text, mail (.eml, some with base64 attachments), RTF, CSV and FEC exports, SQL dumps, XML',
  'office-legacy': 'Word/Excel/PowerPoint 97–2003 files: UTF-16 text, formatting records, free sectors, a few pictures',
  'office-zipped': 'docx/xlsx/pptx/odt and PDF: ZIP or Flate streams, as incompressible as random bytes',
  media: 'photos and videos (JPEG, PNG, MP4): random bytes behind real headers',
  'small-files': '20,000 per GiB, 0–24 KiB, in a deep tree (up to 14 levels) with non-ASCII names; text, INI, logs, CSV, thumbnails, some empty',
};

/** 20,000 small files per GiB of data set (so the 1 GiB set has 20,000). */
const SMALL_FILES_PER_GIB = 20_000;
const MAX_SMALL_DEPTH = 14;

export interface FileSpec {
  /** Stable number: with the seed it names the file's content stream. */
  id: number;
  /** Relative to the data set's root, `/`-separated. */
  path: string;
  category: Category;
  kind: ContentKind;
  size: number;
}

export interface DatasetPlan {
  seed: number;
  size: number;
  files: FileSpec[];
  /** Every folder, parents first (some stay empty, as on real shares). */
  dirs: string[];
  database: { path: string; extents: number };
}

interface KindChoice {
  kind: ContentKind;
  weight: number;
  min: number;
  max: number;
  extensions: string[];
}

const OFFICE_TEXT: KindChoice[] = [
  { kind: 'text', weight: 20, min: 2 * KIB, max: 512 * KIB, extensions: ['txt'] },
  { kind: 'mail', weight: 20, min: 8 * KIB, max: 2 * MIB, extensions: ['eml'] },
  { kind: 'rtf', weight: 6, min: 16 * KIB, max: MIB, extensions: ['rtf'] },
  { kind: 'csv', weight: 20, min: 64 * KIB, max: 24 * MIB, extensions: ['csv'] },
  { kind: 'sql', weight: 6, min: MIB, max: 48 * MIB, extensions: ['sql'] },
  { kind: 'xml', weight: 12, min: 32 * KIB, max: 8 * MIB, extensions: ['xml'] },
];
const OFFICE_LEGACY: KindChoice[] = [{ kind: 'legacy-office', weight: 1, min: 32 * KIB, max: 12 * MIB, extensions: ['doc', 'doc', 'xls', 'xls', 'ppt'] }];
const OFFICE_ZIPPED: KindChoice[] = [
  { kind: 'zipped-office', weight: 60, min: 16 * KIB, max: 6 * MIB, extensions: ['docx', 'docx', 'xlsx', 'xlsx', 'pptx', 'odt'] },
  { kind: 'pdf', weight: 40, min: 32 * KIB, max: 16 * MIB, extensions: ['pdf'] },
];
const MEDIA: KindChoice[] = [
  { kind: 'media', weight: 70, min: 800 * KIB, max: 8 * MIB, extensions: ['jpg'] },
  { kind: 'media', weight: 10, min: 100 * KIB, max: 3 * MIB, extensions: ['png'] },
  { kind: 'media', weight: 20, min: 24 * MIB, max: 160 * MIB, extensions: ['mp4'] },
];
const SMALL: KindChoice[] = [
  { kind: 'text', weight: 55, min: 0, max: 0, extensions: ['txt'] },
  { kind: 'config', weight: 15, min: 0, max: 0, extensions: ['ini'] },
  { kind: 'log', weight: 10, min: 0, max: 0, extensions: ['log'] },
  { kind: 'csv', weight: 10, min: 0, max: 0, extensions: ['csv'] },
  { kind: 'binary', weight: 10, min: 0, max: 0, extensions: ['png', 'jpg'] },
];

export function chooseKind(random: () => number, choices: KindChoice[]): KindChoice {
  let roll = random() * choices.reduce((sum, c) => sum + c.weight, 0);
  for (const choice of choices) {
    roll -= choice.weight;
    if (roll < 0) return choice;
  }
  return choices[choices.length - 1]!;
}

/** Builds unique paths: a second file of the same name in a folder gets " (2)", as Explorer names copies. */
class Names {
  private readonly taken = new Set<string>();

  unique(dir: string, stem: string, extension: string): string {
    const base = dir ? `${dir}/${stem}` : stem;
    let path = `${base}${extension ? `.${extension}` : ''}`;
    for (let copy = 2; this.taken.has(path.normalize('NFC').toLowerCase()); copy++) path = `${base} (${copy})${extension ? `.${extension}` : ''}`;
    this.taken.add(path.normalize('NFC').toLowerCase());
    return path;
  }
}

export function planDataset(seed: number, size: number): DatasetPlan {
  const random = prng(seed);
  const names = new Names();
  const files: FileSpec[] = [];
  const dirs = new Set<string>();
  const addDir = (dir: string) => {
    const parts = dir.split('/');
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  };
  const budget = (category: Category) => Math.floor(size * CATEGORY_SHARES[category]);

  // The database first: whole extents.
  const extents = Math.max(4, Math.floor(budget('database') / EXTENT_SIZE));
  const database = { path: 'Bases de données/ERP Compta/ERP_COMPTA.mdf', extents };
  addDir('Bases de données/ERP Compta');

  // Office folders: two to four levels of the firm's usual names.
  const officeDirs = Array.from({ length: 90 }, () => {
    const depth = 2 + Math.floor(random() * 3);
    const parts = [pick(random, ['Comptabilité', 'Direction', 'Commercial', 'Ressources humaines', 'Clients', 'Commun', 'Juridique'])];
    for (let level = 1; level < depth; level++) parts.push(random() < 0.3 ? pick(random, COMPANIES) : pick(random, FOLDER_WORDS));
    return parts.join('/');
  });
  const mediaDirs = Array.from({ length: 12 }, () => `Photos et vidéos/${pick(random, FOLDER_WORDS)} ${2019 + Math.floor(random() * 7)}`);

  let id = 0;
  const fill = (category: Category, choices: KindChoice[], folders: string[]) => {
    let left = budget(category);
    while (left > 0) {
      const choice = chooseKind(random, choices);
      const drawn = logUniform(random, choice.min, Math.min(choice.max, Math.max(choice.min, Math.floor(budget(category) / 3))));
      const fileSize = left - drawn < choice.min ? left : drawn;
      const dir = pick(random, folders);
      addDir(dir);
      const stem = `${pick(random, FILE_STEMS)} n°${1 + Math.floor(random() * 9999)}`;
      files.push({ id: id++, path: names.unique(dir, stem, pick(random, choice.extensions)), category, kind: choice.kind, size: fileSize });
      left -= fileSize;
    }
  };
  fill('office-text', OFFICE_TEXT, officeDirs);
  fill('office-legacy', OFFICE_LEGACY, officeDirs);
  fill('office-zipped', OFFICE_ZIPPED, officeDirs);
  fill('media', MEDIA, mediaDirs);

  // The small files: a deep tree grown one folder at a time, parents drawn with a bias to the newest (deepest).
  const smallCount = Math.max(300, Math.round((SMALL_FILES_PER_GIB * size) / GIB));
  const tree: Array<{ path: string; depth: number }> = [{ path: 'Archives clients', depth: 1 }];
  const treeSize = Math.max(10, Math.round(smallCount / 14));
  while (tree.length < treeSize) {
    const parent = tree[Math.floor(Math.sqrt(random()) * tree.length)]!;
    if (parent.depth >= MAX_SMALL_DEPTH) continue;
    const name = random() < 0.25 ? pick(random, COMPANIES) : random() < 0.5 ? `${pick(random, FOLDER_WORDS)} ${1 + Math.floor(random() * 99)}` : pick(random, FOLDER_WORDS);
    tree.push({ path: names.unique(parent.path, name, ''), depth: parent.depth + 1 });
  }
  for (const folder of tree) addDir(folder.path);
  const smallSizes = Array.from({ length: smallCount }, () => (random() < 0.01 ? 0 : logUniform(random, 64, 24 * KIB)));
  const scale = budget('small-files') / smallSizes.reduce((sum, s) => sum + s, 0);
  for (const drawnSize of smallSizes) {
    const choice = chooseKind(random, SMALL);
    const dir = tree[Math.floor(random() * tree.length)]!.path;
    const stem = `${pick(random, FILE_STEMS)} ${1 + Math.floor(random() * 999)}`;
    files.push({ id: id++, path: names.unique(dir, stem, pick(random, choice.extensions)), category: 'small-files', kind: choice.kind, size: Math.round(drawnSize * scale) });
  }

  return { seed, size, files, dirs: [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1)), database };
}
