import path from 'node:path';
import { UnsafePathError } from './errors';

/**
 * Portable paths (docs/repository-format.md §paths, DESIGN.md §2). A manifest stores every path in one form whatever
 * the host's system:
 *
 *   Windows, drive     C:\Data\x.doc, \\?\C:\Data\x.doc  → C:/Data/x.doc   (drive letter upper-cased, first component)
 *   Windows, UNC       \\server\share\x, \\?\UNC\server\share\x → //server/share/x
 *   Linux              /srv/data/x                        → /srv/data/x     (as is: a backslash is part of a name)
 *
 * Always absolute, no `.`/`..`/empty components, no trailing slash except the roots `C:/` and `/`. Names are kept as
 * the file system gave them (no Unicode normalisation, case kept). Windows paths compare case-insensitively, Linux
 * paths exactly. The module takes the target system as an argument and uses path.win32 / path.posix explicitly, so
 * Windows behaviour is tested on Linux.
 */

export type Platform = 'win32' | 'posix';

export type PortableKind = 'drive' | 'unc' | 'posix';

export interface ParsedPortable {
  kind: PortableKind;
  /** `C:` for a drive, `//server/share` for UNC, `/` for Linux. */
  root: string;
  /** The names under the root, in order. */
  names: string[];
}

const DRIVE = /^([A-Za-z]):(?:[\\/]|$)/;

/** The portable form of an absolute path of `platform`; a relative or unsupported path is an UnsafePathError. */
export function toPortable(nativePath: string, platform: Platform): string {
  if (nativePath.includes('\0')) throw new UnsafePathError(nativePath, 'contains a NUL character');
  if (platform === 'posix') {
    if (!nativePath.startsWith('/')) throw new UnsafePathError(nativePath, 'not an absolute path');
    const normalised = path.posix.normalize(nativePath);
    return normalised.length > 1 && normalised.endsWith('/') ? normalised.slice(0, -1) : normalised;
  }
  let rest = nativePath.replace(/\//g, '\\');
  // Win32 namespace prefixes: \\?\ (long paths) and \\.\ (device namespace) in front of a drive or UNC\.
  const namespace = /^\\\\[?.]\\/.exec(rest);
  if (namespace) {
    rest = rest.slice(4);
    if (/^UNC\\/i.test(rest)) rest = `\\\\${rest.slice(4)}`;
    else if (!DRIVE.test(rest)) throw new UnsafePathError(nativePath, 'only drive and UNC paths can be backed up');
  }
  const drive = DRIVE.exec(rest);
  if (drive) {
    if (rest.length > 2 && rest[2] !== '\\') throw new UnsafePathError(nativePath, 'drive-relative path');
    const names = splitNames(path.win32.normalize(`${rest.slice(0, 2)}\\${rest.slice(3)}`).slice(3), '\\');
    return joinPortable(`${drive[1]!.toUpperCase()}:`, names);
  }
  if (rest.startsWith('\\\\')) {
    const [server, share, ...more] = rest.slice(2).split('\\');
    if (!server || !share || server === '.' || server === '?') {
      throw new UnsafePathError(nativePath, 'a UNC path names a server and a share');
    }
    const names = splitNames(path.win32.normalize(`\\${more.join('\\')}`).slice(1), '\\');
    return joinPortable(`//${server}/${share}`, names);
  }
  throw new UnsafePathError(nativePath, 'not an absolute Windows path (drive or UNC)');
}

function splitNames(value: string, separator: string): string[] {
  return value.split(separator).filter((name) => name.length > 0);
}

function joinPortable(root: string, names: readonly string[]): string {
  if (root === '/') return `/${names.join('/')}`;
  if (names.length === 0) return root.endsWith(':') ? `${root}/` : root;
  return `${root}/${names.join('/')}`;
}

/** Parses and checks a portable path; anything not in the form above is an UnsafePathError. */
export function parsePortable(portable: string): ParsedPortable {
  if (portable.includes('\0')) throw new UnsafePathError(portable, 'contains a NUL character');
  let kind: PortableKind;
  let root: string;
  let rest: string;
  const drive = /^([A-Z]):\/(.*)$/s.exec(portable);
  if (drive) {
    kind = 'drive';
    root = `${drive[1]}:`;
    rest = drive[2]!;
  } else if (portable.startsWith('//')) {
    const [server, share, ...more] = portable.slice(2).split('/');
    if (!server || !share) throw new UnsafePathError(portable, 'a UNC path names a server and a share');
    for (const name of [server, share]) checkWindowsName(portable, name);
    kind = 'unc';
    root = `//${server}/${share}`;
    rest = more.join('/');
    if (more.length === 0) rest = '';
    else if (rest === '') throw new UnsafePathError(portable, 'trailing slash');
  } else if (portable.startsWith('/')) {
    kind = 'posix';
    root = '/';
    rest = portable.slice(1);
  } else {
    throw new UnsafePathError(portable, 'not a portable path (C:/…, //server/share/… or /…)');
  }
  const names = rest === '' ? [] : rest.split('/');
  for (const name of names) {
    if (name === '' || name === '.' || name === '..') {
      throw new UnsafePathError(portable, 'empty, "." or ".." component, or trailing slash');
    }
    if (kind !== 'posix') checkWindowsName(portable, name);
  }
  return { kind, root, names };
}

function checkWindowsName(portable: string, name: string): void {
  if (name.includes('\\')) throw new UnsafePathError(portable, 'a Windows name cannot hold a backslash');
}

export function isPortablePath(value: string): boolean {
  try {
    parsePortable(value);
    return true;
  } catch {
    return false;
  }
}

/** Windows paths (drive, UNC) compare case-insensitively; Linux paths exactly. */
export function isCaseInsensitive(portable: string): boolean {
  return parsePortable(portable).kind !== 'posix';
}

function foldName(name: string, insensitive: boolean): string {
  return insensitive ? name.toUpperCase() : name;
}

/** True when both name the same file under the case rule of their kind. */
export function samePortablePath(a: string, b: string): boolean {
  const left = parsePortable(a);
  const right = parsePortable(b);
  if (left.kind !== right.kind) return false;
  const insensitive = left.kind !== 'posix';
  return (
    foldName(left.root, insensitive) === foldName(right.root, insensitive) &&
    left.names.length === right.names.length &&
    left.names.every((name, index) => foldName(name, insensitive) === foldName(right.names[index]!, insensitive))
  );
}

/** True when `portable` is `ancestor` or lies below it (component-wise, under the case rule of its kind). */
export function isWithin(portable: string, ancestor: string): boolean {
  return relativeNames(portable, ancestor) !== undefined;
}

/** The names of `portable` below `ancestor`, or undefined when it is not within it. */
export function relativeNames(portable: string, ancestor: string): string[] | undefined {
  const inner = parsePortable(portable);
  const outer = parsePortable(ancestor);
  if (inner.kind !== outer.kind) return undefined;
  const insensitive = inner.kind !== 'posix';
  if (foldName(inner.root, insensitive) !== foldName(outer.root, insensitive)) return undefined;
  if (outer.names.length > inner.names.length) return undefined;
  for (let index = 0; index < outer.names.length; index++) {
    if (foldName(outer.names[index]!, insensitive) !== foldName(inner.names[index]!, insensitive)) return undefined;
  }
  return inner.names.slice(outer.names.length);
}

export function portableParent(portable: string): string | undefined {
  const parsed = parsePortable(portable);
  if (parsed.names.length === 0) return undefined;
  return joinPortable(parsed.root, parsed.names.slice(0, -1));
}

export function portableBaseName(portable: string): string {
  const parsed = parsePortable(portable);
  return parsed.names.at(-1) ?? '';
}

/** `parent` joined with one more name (a name holding `/`, or `.`/`..`, is refused). */
export function portableChild(parent: string, name: string): string {
  const parsed = parsePortable(parent);
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new UnsafePathError(name, 'not a single file name');
  }
  if (parsed.kind !== 'posix') checkWindowsName(name, name);
  return joinPortable(parsed.root, [...parsed.names, name]);
}

/**
 * A total order for manifests: component by component, by UTF-16 code unit, so that a folder comes right before
 * what it holds (`C:/a`, `C:/a/b`, `C:/a-b`) and every writer sorts alike.
 */
export function comparePortable(a: string, b: string): number {
  // Component-wise order is plain code-unit order with "/" ranked below every other character (no name holds "/"
  // or NUL): compared in place, without splitting, since manifests sort millions of paths.
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left !== right) {
      if (left === SLASH) return -1;
      if (right === SLASH) return 1;
      return left < right ? -1 : 1;
    }
  }
  return a.length - b.length;
}

const SLASH = 0x2f;

/** Back to a native path of `platform`: only a Windows path on Windows and a Linux path on Linux make sense. */
export function fromPortable(portable: string, platform: Platform): string {
  const parsed = parsePortable(portable);
  if (platform === 'posix') {
    if (parsed.kind !== 'posix') {
      throw new UnsafePathError(portable, 'a Windows path has no place on Linux: restore it under a target folder');
    }
    return portable;
  }
  if (parsed.kind === 'posix') {
    throw new UnsafePathError(portable, 'a Linux path has no place on Windows: restore it under a target folder');
  }
  const root = parsed.kind === 'drive' ? `${parsed.root}\\` : parsed.root.replace(/\//g, '\\');
  return parsed.names.length === 0 ? root : `${root}${parsed.kind === 'unc' ? '\\' : ''}${parsed.names.join('\\')}`;
}

/** Device names Windows reserves in every folder, whatever the extension (`con.txt` is the console too). */
const RESERVED_WINDOWS = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)$/i;
const FORBIDDEN_WINDOWS = /[<>:"/\\|?*\u0000-\u001f]/g;

/**
 * A name that a `platform` file system can hold, and whether it had to change: on Windows the characters
 * `<>:"/\|?*` and control characters become `_`, trailing dots and spaces (which Windows drops) become `_`, and
 * reserved device names (CON, NUL, COM1, … with any extension) get a leading `_`.
 */
export function safeName(name: string, platform: Platform): { name: string; renamed: boolean } {
  if (name === '' || name === '.' || name === '..' || name.includes('\0') || name.includes('/')) {
    throw new UnsafePathError(name, 'not a single file name');
  }
  if (platform === 'posix') return { name, renamed: false };
  let safe = name.replace(FORBIDDEN_WINDOWS, '_');
  safe = safe.replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
  const stem = safe.split('.')[0]!.trimEnd();
  if (RESERVED_WINDOWS.test(stem)) safe = `_${safe}`;
  return { name: safe, renamed: safe !== name };
}

export interface RestoreLocation {
  /** Native path under the target folder. */
  path: string;
  /** True when a name was changed to fit the target system (the restorer reports it). */
  renamed: boolean;
}

/**
 * Where a snapshot path goes when restored under `target` (an absolute native folder of `platform`): the portable
 * path's root becomes folders (`C:/Data/x` → `target/C/Data/x`, `//srv/share/x` → `target/UNC/srv/share/x`,
 * `/srv/x` → `target/srv/x`), or, with `base`, only what lies below `base` is kept (`base` itself → `target`).
 * Every name is made safe for the target system; the result never leaves `target`.
 */
export function restoreLocation(
  target: string,
  portable: string,
  platform: Platform,
  options: { base?: string } = {},
): RestoreLocation {
  const native = platform === 'win32' ? path.win32 : path.posix;
  if (!native.isAbsolute(target) || (platform === 'win32' && !/^([A-Za-z]:\\|\\\\)/.test(target.replace(/\//g, '\\')))) {
    throw new UnsafePathError(target, 'the restore target must be an absolute folder');
  }
  let names: string[];
  if (options.base !== undefined) {
    const below = relativeNames(portable, options.base);
    if (!below) throw new UnsafePathError(portable, `not within ${options.base}`);
    names = below;
  } else {
    const parsed = parsePortable(portable);
    const rootNames =
      parsed.kind === 'drive'
        ? [parsed.root.slice(0, 1)]
        : parsed.kind === 'unc'
          ? ['UNC', ...parsed.root.slice(2).split('/')]
          : [];
    names = [...rootNames, ...parsed.names];
  }
  let renamed = false;
  const safeNames = names.map((name) => {
    const safe = safeName(name, platform);
    renamed ||= safe.renamed;
    return safe.name;
  });
  const root = native.resolve(target);
  const joined = native.join(root, ...safeNames);
  const relative = native.relative(root, joined);
  if (relative.startsWith('..') || native.isAbsolute(relative)) {
    throw new UnsafePathError(portable, `would be restored outside ${target}`);
  }
  return { path: joined, renamed };
}
