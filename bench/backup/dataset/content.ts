// File contents of the generated data set. Each generator writes exactly `size` bytes shaped like one kind of file
// found on an office file server, so zstd finds in it what it finds in the real thing: repeated words and fields
// in text and exports, UTF-16 text and zeroed sectors in legacy Office files, nothing in zipped Office files and
// media. Sentences, export rows and database rows are drawn once per data set into pools (with the project's
// seeded PRNG); files are random sequences of pool entries, taken with the file's own ByteStream. A pool holds
// several MiB, far more than zstd -1's 512 KiB window, so an entry rarely repeats within reach of the compressor,
// and a file is a pure function of (seed, file, version).
import { ACCOUNTS, COMPANIES, FIRST_NAMES, LAST_NAMES, WORDS } from './words';
import { ByteStream, pick, prng } from './random';

/** Pools of the kinds that make most of the bytes; eight times zstd -1's window. */
const POOL_BYTES = 4 * 1024 * 1024;
/** Pools of the minor kinds (XML, logs, INI). */
const SMALL_POOL_BYTES = 1024 * 1024;

export type PoolName = 'paragraphs' | 'paragraphsUtf16' | 'csv' | 'sql' | 'xml' | 'log' | 'ini' | 'records' | 'databaseRows' | 'labels' | 'names' | 'emails';
export const POOL_NAMES: readonly PoolName[] = ['paragraphs', 'paragraphsUtf16', 'csv', 'sql', 'xml', 'log', 'ini', 'records', 'databaseRows', 'labels', 'names', 'emails'];

/**
 * Entries stored back to back in one buffer. Files pick entries of a kilobyte or so: picking single sentences from
 * several MiB of separate buffers spent its time in cache misses.
 */
export class Pool {
  constructor(
    readonly data: Buffer,
    /** End offset of each entry. */
    readonly ends: Uint32Array,
  ) {}

  /** Entries encoded straight into shared memory: worker threads read the pools the main thread built, without a copy. */
  static of(entries: Array<Buffer | string>, encoding: 'utf8' | 'utf16le' = 'utf8'): Pool {
    const lengths = entries.map((e) => (typeof e === 'string' ? Buffer.byteLength(e, encoding) : e.length));
    const data = Buffer.from(new SharedArrayBuffer(lengths.reduce((sum, n) => sum + n, 0)));
    const ends = new Uint32Array(new SharedArrayBuffer(entries.length * 4));
    let offset = 0;
    entries.forEach((entry, index) => {
      if (typeof entry === 'string') data.write(entry, offset, encoding);
      else data.set(entry, offset);
      offset += lengths[index]!;
      ends[index] = offset;
    });
    return new Pool(data, ends);
  }

  get count(): number {
    return this.ends.length;
  }

  start(index: number): number {
    return index === 0 ? 0 : this.ends[index - 1]!;
  }
}

export interface SharedPools {
  seed: number;
  pools: Array<[PoolName, { data: SharedArrayBuffer; ends: SharedArrayBuffer }]>;
}

/** The pools of one data set, each built on first use from its own PRNG (so the order of use does not matter). */
export class Pools {
  private readonly built = new Map<PoolName, Pool>();

  constructor(readonly seed: number) {}

  /** The pools `names` (built now if need be), in a form another thread receives without a copy. */
  share(names: readonly PoolName[] = POOL_NAMES): SharedPools {
    return {
      seed: this.seed,
      pools: names.map((name) => {
        const pool = this.get(name);
        return [name, { data: pool.data.buffer as SharedArrayBuffer, ends: pool.ends.buffer as SharedArrayBuffer }];
      }),
    };
  }

  /** Takes pools another thread built; any other is built here on first use. */
  adopt(shared: SharedPools): this {
    if (shared.seed !== this.seed) throw new Error(`pools of seed ${shared.seed} offered to a data set of seed ${this.seed}`);
    for (const [name, { data, ends }] of shared.pools) this.built.set(name, new Pool(Buffer.from(data), new Uint32Array(ends)));
    return this;
  }

  get(name: PoolName): Pool {
    let pool = this.built.get(name);
    if (!pool) {
      pool = name === 'paragraphsUtf16' ? Pool.of(this.paragraphTexts(), 'utf16le') : Pool.of(this.build(name));
      this.built.set(name, pool);
    }
    return pool;
  }

  private paragraphTexts(): string[] {
    const paragraphs = this.get('paragraphs');
    return Array.from({ length: paragraphs.count }, (_, i) => paragraphs.data.toString('utf8', paragraphs.start(i), paragraphs.ends[i]));
  }

  private build(name: Exclude<PoolName, 'paragraphsUtf16'>): Array<Buffer | string> {
    // One PRNG per pool, seeded by the data set's seed and the pool's name.
    const random = prng(this.seed ^ [...name].reduce((hash, c) => Math.imul(hash ^ c.charCodeAt(0), 0x0100_0193), 0x811c_9dc5));
    const v = new Vocabulary(random);
    const lines = (count: () => number, line: () => string) => () => Array.from({ length: count() }, line).join('');
    const few = (min: number, max: number) => () => min + Math.floor(random() * (max - min + 1));
    switch (name) {
      case 'paragraphs':
        return fill(POOL_BYTES, () => `${lines(few(4, 12), () => `${v.sentence()}${random() < 0.35 ? v.fact() : ''}`)()}\r\n\r\n`);
      case 'csv':
        return fill(POOL_BYTES, lines(few(8, 24), () => `${pick(random, JOURNALS)};${v.date('fr')};${pick(random, ACCOUNTS)};${random() < 0.3 ? pick(random, COMPANIES) : v.name()};${v.label()};FAC${String(Math.floor(random() * 1e6)).padStart(6, '0')};${random() < 0.5 ? `${v.amount(',')};0,00` : `0,00;${v.amount(',')}`}\r\n`));
      case 'sql':
        return fill(POOL_BYTES, lines(few(6, 16), () => `(${Math.floor(random() * 1e7)},'${v.date('iso')}','${pick(random, ACCOUNTS)}','${v.name()}','${v.label()}',${v.amount('.')},0.00),`));
      case 'xml':
        return fill(SMALL_POOL_BYTES, lines(few(3, 8), () => `    <ecriture>\r\n      <JournalCode>${pick(random, JOURNALS)}</JournalCode>\r\n      <EcritureNum>${Math.floor(random() * 1e5)}</EcritureNum>\r\n      <EcritureDate>${v.date('iso')}</EcritureDate>\r\n      <CompteNum>${pick(random, ACCOUNTS)}</CompteNum>\r\n      <EcritureLib>${v.label()}</EcritureLib>\r\n      <Montant>${v.amount('.')}</Montant>\r\n    </ecriture>\r\n`));
      case 'log':
        return fill(SMALL_POOL_BYTES, lines(few(6, 16), () => `${v.date('iso')} ${v.time()} ${random() < 0.1 ? 'WARN ' : 'INFO '} [${pick(random, ['sync', 'compta', 'paie', 'scan', 'mail'])}] ${v.label()} : ${v.sentence()}\n`));
      case 'ini':
        return fill(SMALL_POOL_BYTES, lines(few(8, 24), () => (random() < 0.08 ? `[${v.label()}]\r\n` : `${v.label().replaceAll(' ', '_')}=${random() < 0.5 ? Math.floor(random() * 1e5) : v.label()}\r\n`)));
      case 'records': {
        // Formatting and cell records of a legacy Office file, 64 of 16 bytes per entry: a running index, a few
        // small properties, a constant tail.
        const all = Buffer.alloc(4_096 * 64 * 16);
        for (let record = 0; record < 4_096 * 64; record++) {
          const at = record * 16;
          all[at] = record & 0x3f;
          all[at + 1] = (record >> 6) & 0xff;
          all[at + 2] = Math.floor(random() * 8);
          all[at + 3] = Math.floor(random() * 256);
          all[at + 5] = 1;
          all[at + 10] = 0xff;
          all[at + 11] = 0xff;
          all[at + 14] = Math.floor(random() * 4);
        }
        return Array.from({ length: 4_096 }, (_, i) => all.subarray(i * 1024, (i + 1) * 1024));
      }
      case 'databaseRows': {
        const entry = DATABASE_ROW * DATABASE_ROWS_PER_ENTRY;
        const all = Buffer.alloc(Math.ceil(POOL_BYTES / entry) * entry, 0x20);
        for (let offset = 0; offset < all.length; offset += DATABASE_ROW) v.databaseRow(all, offset);
        return Array.from({ length: all.length / entry }, (_, i) => all.subarray(i * entry, (i + 1) * entry));
      }
      case 'labels':
        return Array.from({ length: 4_000 }, () => v.label());
      case 'names':
        return Array.from({ length: 3_000 }, () => v.name());
      case 'emails':
        return Array.from({ length: 3_000 }, () => v.email());
    }
  }
}

const JOURNALS = ['VT', 'AC', 'BQ1', 'BQ2', 'OD', 'AN', 'CA'];

/** Entries until about `bytes` (counted in UTF-16 code units, close enough to a size). */
function fill(bytes: number, make: () => string): string[] {
  const pool: string[] = [];
  for (let total = 0; total < bytes; ) {
    const entry = make();
    pool.push(entry);
    total += entry.length;
  }
  return pool;
}

/** Words, names, figures and rows of a French accountancy firm, drawn from one PRNG. */
class Vocabulary {
  constructor(private readonly random: () => number) {}

  /** Function words open the list: squaring the draw makes them the most frequent, as in real French text. */
  word(): string {
    return WORDS[Math.floor(this.random() ** 2 * WORDS.length)]!;
  }

  phrase(min: number, max: number): string {
    let text = this.word();
    for (let count = min + Math.floor(this.random() * (max - min + 1)); count > 1; count--) text += ` ${this.word()}`;
    return text;
  }

  sentence(): string {
    const text = this.phrase(5, 22);
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}${this.random() < 0.15 ? `, ${this.phrase(2, 6)}` : ''}. `;
  }

  label(): string {
    return this.phrase(2, 6);
  }

  name(): string {
    return `${pick(this.random, FIRST_NAMES)} ${pick(this.random, LAST_NAMES)}`;
  }

  email(): string {
    return `${asciiLower(pick(this.random, FIRST_NAMES))}.${asciiLower(pick(this.random, LAST_NAMES))}@${pick(this.random, ['cabinet-durand.fr', 'orange.fr', 'gmail.com', 'free.fr', 'wanadoo.fr'])}`;
  }

  /** A day of 2019–2025. */
  date(format: 'fr' | 'iso'): string {
    return pick(this.random, format === 'iso' ? DAYS_ISO : DAYS_FR);
  }

  time(): string {
    const two = (n: number) => String(Math.floor(this.random() * n)).padStart(2, '0');
    return `${two(24)}:${two(60)}:${two(60)},${String(Math.floor(this.random() * 1000)).padStart(3, '0')}`;
  }

  /** Most entries are small; one in four is up to 250,000.00. */
  amount(separator: ',' | '.'): string {
    return (this.random() < 0.25 ? this.random() * 250_000 : this.random() * 5_000).toFixed(2).replace('.', separator);
  }

  /** A figure, a date, a reference or a name, between sentences of prose. */
  fact(): string {
    switch (Math.floor(this.random() * 4)) {
      case 0:
        return `Montant : ${this.amount(',')} €. `;
      case 1:
        return `Le ${this.date('fr')}, `;
      case 2:
        return `Réf. FAC-${2019 + Math.floor(this.random() * 7)}-${String(Math.floor(this.random() * 1e6)).padStart(6, '0')}. `;
      default:
        return `${this.name()} — `;
    }
  }

  /**
   * One accounting row of the database, fixed width (DATABASE_ROW bytes): row header, id, date, account CHAR(10),
   * third party CHAR(32), label CHAR(40), amount in cents, VAT rate, status, user CHAR(12), then a row GUID
   * (uniqueidentifier, as ERP tables carry) and a rowversion. CHAR columns are space-padded (`target` comes
   * filled with spaces), as SQL Server stores them; the id, GUID and rowversion are written where the row is placed.
   */
  databaseRow(target: Buffer, at: number): void {
    target.writeUInt16LE(0x0030, at);
    target.writeUInt16LE(DATABASE_ROW, at + 2);
    target.writeUInt32LE(0, at + 4);
    target.writeUInt16LE(7_300 + Math.floor(this.random() * 2_557), at + 8);
    target.write(pick(this.random, ACCOUNTS), at + 10, 10);
    target.write(this.name(), at + 20, 32);
    target.write(this.label(), at + 52, 40);
    target.writeUInt32LE(Math.floor(this.random() * (this.random() < 0.25 ? 25_000_000 : 500_000)), at + 92);
    target.writeUInt32LE(0, at + 96);
    target[at + 100] = pick(this.random, [0, 55, 100, 200]);
    target[at + 101] = Math.floor(this.random() * 3);
    target.write(pick(this.random, USERS), at + 102, 12);
    target.fill(0, DATABASE_ROW_GUID + at, at + DATABASE_ROW);
  }
}

const DAYS_ISO = Array.from({ length: 2_557 }, (_, i) => new Date(Date.UTC(2019, 0, 1 + i)).toISOString().slice(0, 10));
const DAYS_FR = DAYS_ISO.map((iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`);
const USERS = FIRST_NAMES.slice(0, 20).map((first, i) => asciiLower(`${first.charAt(0)}${LAST_NAMES[i]}`).slice(0, 12));
const DATABASE_ROW = 138;
/** Offset of the row GUID (16 bytes) and rowversion (8 bytes) in a row. */
const DATABASE_ROW_GUID = 114;
const DATABASE_ROWS_PER_ENTRY = 8;

function asciiLower(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

const LITERALS = new Map<string, Buffer>();

/** Writes exactly `size` bytes through a reusable buffer; generators loop while `remaining > 0`. */
export class ContentWriter {
  private pos = 0;
  private flushed = 0;

  constructor(
    readonly size: number,
    private readonly sink: (chunk: Buffer) => void,
    private readonly buf: Buffer = Buffer.allocUnsafe(1 << 20),
  ) {}

  get remaining(): number {
    return this.size - this.flushed - this.pos;
  }

  put(source: Buffer): void {
    this.copy(source, 0, source.length);
  }

  /** One entry of `pool`, drawn with `stream`. */
  pick(stream: ByteStream, pool: Pool): void {
    const index = stream.below(pool.count);
    this.copy(pool.data, pool.start(index), pool.ends[index]!);
  }

  /** A literal; the encodings of the generators' fixed strings are kept. */
  text(value: string): void {
    let encoded = LITERALS.get(value);
    if (!encoded) {
      encoded = Buffer.from(value, 'utf8');
      if (LITERALS.size < 4096) LITERALS.set(value, encoded);
    }
    this.put(encoded);
  }

  random(stream: ByteStream, count: number): void {
    let left = Math.min(count, this.remaining);
    while (left > 0) {
      const take = Math.min(left, this.buf.length - this.pos);
      stream.fill(this.buf, this.pos, this.pos + take);
      this.pos += take;
      left -= take;
      if (this.pos === this.buf.length) this.flush();
    }
  }

  zeros(count: number): void {
    let left = Math.min(count, this.remaining);
    while (left > 0) {
      const take = Math.min(left, this.buf.length - this.pos);
      this.buf.fill(0, this.pos, this.pos + take);
      this.pos += take;
      left -= take;
      if (this.pos === this.buf.length) this.flush();
    }
  }

  end(): void {
    this.flush();
  }

  private copy(source: Buffer, start: number, end: number): void {
    let from = start;
    let count = Math.min(end - start, this.remaining);
    while (count > 0) {
      const take = Math.min(count, this.buf.length - this.pos);
      source.copy(this.buf, this.pos, from, from + take);
      this.pos += take;
      from += take;
      count -= take;
      if (this.pos === this.buf.length) this.flush();
    }
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.sink(this.buf.subarray(0, this.pos));
    this.flushed += this.pos;
    this.pos = 0;
  }
}

type Generator = (w: ContentWriter, s: ByteStream, p: Pools) => void;

/** Paragraphs of sentences with figures, dates, references and names, until `bytes` are written or the file is full. */
function prose(w: ContentWriter, s: ByteStream, p: Pools, bytes = Number.POSITIVE_INFINITY): void {
  const paragraphs = p.get('paragraphs');
  const until = Math.max(0, w.remaining - bytes);
  while (w.remaining > until) w.pick(s, paragraphs);
}

function entries(w: ContentWriter, s: ByteStream, pool: Pool): void {
  while (w.remaining > 0) w.pick(s, pool);
}

const text: Generator = (w, s, p) => {
  w.text(`${COMPANIES[s.below(COMPANIES.length)]}\r\n`);
  prose(w, s, p);
};

const mail: Generator = (w, s, p) => {
  const emails = p.get('emails');
  w.text('From: ');
  w.pick(s, p.get('names'));
  w.text(' <');
  w.pick(s, emails);
  w.text('>\r\nTo: ');
  w.pick(s, emails);
  w.text('\r\nSubject: ');
  w.pick(s, p.get('labels'));
  w.text(`\r\nMessage-ID: <${s.u32()}.${s.u32()}@cabinet-durand.fr>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`);
  prose(w, s, p, w.remaining * (0.3 + 0.5 * s.next()));
  if (w.remaining <= 0) return;
  w.text('\r\n--b1\r\nContent-Type: application/pdf; name="piece-jointe.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n');
  // An attachment: base64 of compressed (random) bytes, in 76-character lines.
  const raw = Buffer.allocUnsafe(57 * 256);
  const lines = Buffer.allocUnsafe(78 * 256);
  while (w.remaining > 0) {
    s.fill(raw);
    for (let line = 0; line < 256; line++) {
      lines.write(raw.toString('base64', line * 57, line * 57 + 57), line * 78, 76, 'latin1');
      lines[line * 78 + 76] = 0x0d;
      lines[line * 78 + 77] = 0x0a;
    }
    w.put(lines);
  }
};

const rtf: Generator = (w, s, p) => {
  w.text('{\\rtf1\\ansi\\ansicpg1252\\deff0\\nouicompat{\\fonttbl{\\f0\\fnil\\fcharset0 Calibri;}}\r\n{\\*\\generator Riched20 10.0.19041}\\viewkind4\\uc1\r\n');
  const paragraphs = p.get('paragraphs');
  while (w.remaining > 0) {
    w.text('\\pard\\sa200\\sl276\\slmult1\\f0\\fs22\\lang1036 ');
    w.pick(s, paragraphs);
    w.text('\\par\r\n');
  }
};

const csv: Generator = (w, s, p) => {
  w.text('JournalCode;EcritureDate;CompteNum;CompAuxLib;EcritureLib;PieceRef;Debit;Credit\r\n');
  entries(w, s, p.get('csv'));
};

const sql: Generator = (w, s, p) => {
  w.text('-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: erp_compta\n\nSET NAMES utf8mb4;\n\n');
  w.text('CREATE TABLE `ecritures` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `date` date NOT NULL,\n  `compte` varchar(10) NOT NULL,\n  `tiers` varchar(80) DEFAULT NULL,\n  `libelle` varchar(255) NOT NULL,\n  `debit` decimal(12,2) NOT NULL,\n  `credit` decimal(12,2) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n');
  const tuples = p.get('sql');
  while (w.remaining > 0) {
    w.text('INSERT INTO `ecritures` VALUES ');
    for (let entry = 0; entry < 20; entry++) w.pick(s, tuples);
    w.text('(0,NULL,NULL,NULL,NULL,0.00,0.00);\n');
  }
};

const xml: Generator = (w, s, p) => {
  w.text('<?xml version="1.0" encoding="UTF-8"?>\r\n<comptabilite>\r\n  <exercice>\r\n');
  entries(w, s, p.get('xml'));
};

const OLE_HEADER = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(16), Buffer.from('3e000300feff09000600', 'hex'), Buffer.alloc(512 - 34)]);

/** Word/Excel/PowerPoint 97–2003: an OLE compound file of UTF-16 text, formatting records, free sectors, pictures. */
const legacyOffice: Generator = (w, s, p) => {
  const paragraphs = p.get('paragraphsUtf16');
  const records = p.get('records');
  w.put(OLE_HEADER);
  while (w.remaining > 0) {
    for (let i = 0; i < 10; i++) w.pick(s, paragraphs);
    for (let i = 0; i < 6; i++) w.pick(s, records);
    w.zeros(512 * (2 + s.below(16)));
    if (s.below(3) === 0) w.random(s, 4096 + s.below(24_576));
  }
};

const ZIP_LOCAL_HEADER = Buffer.from('504b0304140006000800', 'hex');

/** docx/xlsx/pptx/odt: a ZIP of deflated XML, as incompressible as random bytes, and modelled as such. */
const zippedOffice: Generator = (w, s) => {
  let member = 0;
  while (w.remaining > 0) {
    w.put(ZIP_LOCAL_HEADER);
    w.random(s, 16);
    w.text(`word/media/part${member++}.xml`);
    w.random(s, 32_768 + s.below(1 << 20));
  }
};

/** PDF: short object dictionaries around Flate-compressed (incompressible) streams. */
const pdf: Generator = (w, s) => {
  w.text('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n');
  let object = 1;
  while (w.remaining > 0) {
    const length = 4_096 + s.below(262_144);
    w.text(`${object++} 0 obj\n<< /Length ${length} /Filter /FlateDecode >>\nstream\n`);
    w.random(s, length);
    w.text('\nendstream\nendobj\n');
  }
};

const MEDIA_HEADERS = [
  Buffer.from('ffd8ffe000104a46494600010101004800480000', 'hex'),
  Buffer.from('00000020667479706d703432000000006d7034326d703431', 'hex'),
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
];

const media: Generator = (w, s) => {
  w.put(MEDIA_HEADERS[s.below(MEDIA_HEADERS.length)]!);
  w.random(s, w.remaining);
};

const config: Generator = (w, s, p) => {
  w.text('; Paramètres\r\n[General]\r\n');
  entries(w, s, p.get('ini'));
};

const log: Generator = (w, s, p) => entries(w, s, p.get('log'));

const binary: Generator = (w, s) => w.random(s, w.remaining);

export const GENERATORS = {
  text,
  mail,
  rtf,
  csv,
  sql,
  xml,
  'legacy-office': legacyOffice,
  'zipped-office': zippedOffice,
  pdf,
  media,
  config,
  log,
  binary,
} satisfies Record<string, Generator>;

export type ContentKind = keyof typeof GENERATORS;

/** The content of one file (or one version of it), a pure function of the label and the pools. */
export function writeContent(kind: ContentKind, size: number, label: string, pools: Pools, sink: (chunk: Buffer) => void, buffer?: Buffer): void {
  const writer = new ContentWriter(size, sink, buffer);
  if (size > 0) GENERATORS[kind](writer, new ByteStream(label), pools);
  writer.end();
}

// The database: 8 KiB pages in 64 KiB extents (8 pages), as SQL Server lays out its data files. An extent is the
// unit of change: a day rewrites whole extents, and a page's content is a function of (seed, extent, version).
export const PAGE_SIZE = 8192;
export const EXTENT_PAGES = 8;
export const EXTENT_SIZE = PAGE_SIZE * EXTENT_PAGES;
const PAGE_HEADER = 96;

/** Fills `target` (one extent) with the pages of `extent` at `version` (0 on day 0, then the day it last changed). */
export function writeDatabaseExtent(target: Buffer, extent: number, version: number, pools: Pools): void {
  const s = new ByteStream(`${pools.seed}/db/${extent}/${version}`);
  const rows = pools.get('databaseRows');
  target.fill(0);
  for (let page = 0; page < EXTENT_PAGES; page++) {
    const base = page * PAGE_SIZE;
    const pageNumber = extent * EXTENT_PAGES + page;
    // Page header: type, level, flags, slot count, free offset, page number, log sequence number, checksum.
    target[base] = 1;
    target.writeUInt16LE(0x0200, base + 2);
    target.writeUInt32LE(pageNumber, base + 8);
    target.writeUInt32LE(version * 1_000_003 + s.below(65_536), base + 16);
    target.writeUInt32LE(s.u32(), base + 24);
    // Pages are 70–98 % full; the rest is zeros, then the slot array at the end.
    const capacity = Math.floor((PAGE_SIZE - PAGE_HEADER) / (DATABASE_ROW + 2));
    const count = Math.round(capacity * (0.7 + 0.28 * s.next()));
    let offset = base + PAGE_HEADER;
    for (let placed = 0; placed < count; ) {
      const index = s.below(rows.count);
      const start = rows.start(index);
      const take = Math.min(DATABASE_ROWS_PER_ENTRY, count - placed);
      rows.data.copy(target, offset, start, start + take * DATABASE_ROW);
      for (let row = 0; row < take; row++) {
        target.writeUInt32LE(pageNumber * 64 + placed, offset + 4);
        s.fill(target, offset + DATABASE_ROW_GUID, offset + DATABASE_ROW_GUID + 16);
        target.writeUInt32LE(version, offset + DATABASE_ROW_GUID + 16);
        target.writeUInt16LE(offset - base, base + PAGE_SIZE - 2 * (placed + 1));
        offset += DATABASE_ROW;
        placed++;
      }
    }
    target.writeUInt16LE(count, base + 4);
    target.writeUInt16LE(offset - base, base + 6);
  }
}
