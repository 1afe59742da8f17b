import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnsafePathError } from '../../../agent/src/engine/errors';
import {
  comparePortable,
  fromPortable,
  isCaseInsensitive,
  isPortablePath,
  isWithin,
  parsePortable,
  portableBaseName,
  portableChild,
  portableParent,
  relativeNames,
  restoreLocation,
  safeName,
  samePortablePath,
  toPortable,
} from '../../../agent/src/engine/paths';

describe('toPortable (Windows)', () => {
  it.each([
    ['C:\\Data\\x.doc', 'C:/Data/x.doc'],
    ['c:\\data\\X.doc', 'C:/data/X.doc'],
    ['C:/Data/x.doc', 'C:/Data/x.doc'],
    ['C:\\', 'C:/'],
    ['C:', 'C:/'],
    ['D:\\Données\\Comptabilité 2026\\', 'D:/Données/Comptabilité 2026'],
    ['C:\\Data\\.\\a\\..\\b', 'C:/Data/b'],
    ['C:\\Data\\\\double', 'C:/Data/double'],
    ['\\\\?\\C:\\Very\\Long\\Path', 'C:/Very/Long/Path'],
    ['\\\\.\\C:\\Device', 'C:/Device'],
    ['\\\\server\\share\\x', '//server/share/x'],
    ['\\\\server\\share', '//server/share'],
    ['\\\\server\\share\\', '//server/share'],
    ['\\\\?\\UNC\\server\\share\\x\\y', '//server/share/x/y'],
    ['//server/share/x', '//server/share/x'],
  ])('%s → %s', (native, portable) => {
    expect(toPortable(native, 'win32')).toBe(portable);
  });

  it('keeps long paths whole', () => {
    const long = `C:\\${Array.from({ length: 40 }, (_, index) => `dossier-numero-${index}`).join('\\')}\\f.txt`;
    expect(long.length).toBeGreaterThan(260);
    const portable = toPortable(`\\\\?\\${long}`, 'win32');
    expect(portable).toBe(long.replace(/\\/g, '/'));
    expect(fromPortable(portable, 'win32')).toBe(long);
  });

  it.each([
    'Data\\x.doc',
    'C:Data\\x',
    '\\Data\\x',
    '\\\\server',
    '\\\\?\\Volume{b75e2c83-0000-0000-0000-602f00000000}\\x',
    'C:\\a\0b',
  ])('refuses %s', (native) => {
    expect(() => toPortable(native, 'win32')).toThrow(UnsafePathError);
  });
});

describe('toPortable (Linux)', () => {
  it.each([
    ['/srv/data/x', '/srv/data/x'],
    ['/srv/data/', '/srv/data'],
    ['/', '/'],
    ['/srv/./a/../b', '/srv/b'],
    ['/srv/back\\slash', '/srv/back\\slash'],
    ['//srv', '/srv'],
  ])('%s → %s', (native, portable) => {
    expect(toPortable(native, 'posix')).toBe(portable);
  });

  it('refuses relative paths', () => {
    expect(() => toPortable('srv/data', 'posix')).toThrow(UnsafePathError);
  });
});

describe('portable paths', () => {
  it('parse into root and names', () => {
    expect(parsePortable('C:/Data/x')).toEqual({ kind: 'drive', root: 'C:', names: ['Data', 'x'] });
    expect(parsePortable('C:/')).toEqual({ kind: 'drive', root: 'C:', names: [] });
    expect(parsePortable('//srv/share/x')).toEqual({ kind: 'unc', root: '//srv/share', names: ['x'] });
    expect(parsePortable('/srv/x')).toEqual({ kind: 'posix', root: '/', names: ['srv', 'x'] });
    expect(parsePortable('/')).toEqual({ kind: 'posix', root: '/', names: [] });
    for (const bad of ['c:/x', 'C:', 'C:\\x', 'x', 'C:/a//b', 'C:/a/', '/a/../b', '/a/./b', '//srv', '//srv/share/', 'C:/a\\b', '']) {
      expect(isPortablePath(bad), bad).toBe(false);
    }
  });

  it('compare Windows paths case-insensitively, Linux paths exactly', () => {
    expect(isCaseInsensitive('C:/x')).toBe(true);
    expect(isCaseInsensitive('//s/h')).toBe(true);
    expect(isCaseInsensitive('/x')).toBe(false);
    expect(samePortablePath('C:/Données/Été', 'C:/DONNÉES/été')).toBe(true);
    expect(samePortablePath('//SRV/Share/a', '//srv/share/A')).toBe(true);
    expect(samePortablePath('/srv/A', '/srv/a')).toBe(false);
    expect(samePortablePath('C:/a', '/a')).toBe(false);
    expect(isWithin('C:/Data/Compta/x.xlsx', 'c:/data'.replace('c:', 'C:'))).toBe(true);
    expect(isWithin('C:/DataX/y', 'C:/Data')).toBe(false);
    expect(isWithin('/srv/Data/y', '/srv/data')).toBe(false);
    expect(relativeNames('C:/Data/Compta/x', 'C:/DATA')).toEqual(['Compta', 'x']);
    expect(relativeNames('C:/Data', 'C:/Data')).toEqual([]);
    expect(relativeNames('D:/Data', 'C:/Data')).toBeUndefined();
  });

  it('parent, base name, child', () => {
    expect(portableParent('C:/Data/x')).toBe('C:/Data');
    expect(portableParent('C:/Data')).toBe('C:/');
    expect(portableParent('C:/')).toBeUndefined();
    expect(portableParent('//s/h/x')).toBe('//s/h');
    expect(portableParent('/srv')).toBe('/');
    expect(portableBaseName('C:/Data/x.doc')).toBe('x.doc');
    expect(portableChild('C:/', 'Data')).toBe('C:/Data');
    expect(portableChild('/', 'srv')).toBe('/srv');
    expect(portableChild('//s/h', 'x')).toBe('//s/h/x');
    expect(() => portableChild('/srv', '..')).toThrow(UnsafePathError);
    expect(() => portableChild('/srv', 'a/b')).toThrow(UnsafePathError);
    expect(() => portableChild('C:/srv', 'a\\b')).toThrow(UnsafePathError);
  });

  it('sort a folder right before its content', () => {
    const sorted = ['C:/a-b', 'C:/a/b', 'C:/a', '/z', 'C:/a/b/c', '//s/h'].sort(comparePortable);
    expect(sorted).toEqual(['//s/h', '/z', 'C:/a', 'C:/a/b', 'C:/a/b/c', 'C:/a-b']);
  });

  it('order like a component-by-component comparison (property)', () => {
    const reference = (a: string, b: string) => {
      const left = a.split('/');
      const right = b.split('/');
      for (let index = 0; index < Math.min(left.length, right.length); index++) {
        if (left[index] !== right[index]) return left[index]! < right[index]! ? -1 : 1;
      }
      return Math.sign(left.length - right.length);
    };
    const path = fc.array(fc.constantFrom('a', 'b', 'a-b', 'a.b', 'A', 'é', ' ', 'ab', '0', '~'), { maxLength: 4 }).map((names) => `/${names.join('/')}`);
    fc.assert(
      fc.property(path, path, (a, b) => {
        expect(Math.sign(comparePortable(a, b))).toBe(reference(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('go back to native paths on their own system only', () => {
    expect(fromPortable('C:/Data/x.doc', 'win32')).toBe('C:\\Data\\x.doc');
    expect(fromPortable('C:/', 'win32')).toBe('C:\\');
    expect(fromPortable('//server/share/x', 'win32')).toBe('\\\\server\\share\\x');
    expect(fromPortable('//server/share', 'win32')).toBe('\\\\server\\share');
    expect(fromPortable('/srv/x', 'posix')).toBe('/srv/x');
    expect(() => fromPortable('C:/x', 'posix')).toThrow(UnsafePathError);
    expect(() => fromPortable('/srv/x', 'win32')).toThrow(UnsafePathError);
  });

  it('round-trip native → portable → native (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9 éèàç_()-]{1,12}$/).filter((value) => value.trim() === value && !value.endsWith('.'));
    fc.assert(
      fc.property(fc.constantFrom('C', 'D', 'Z'), fc.array(name, { maxLength: 8 }), (drive, names) => {
        const native = `${drive}:\\${names.join('\\')}`;
        expect(fromPortable(toPortable(native, 'win32'), 'win32')).toBe(native);
        const posix = `/${names.join('/')}`;
        expect(fromPortable(toPortable(posix, 'posix'), 'posix')).toBe(posix);
      }),
    );
  });
});

describe('safeName', () => {
  it.each([
    ['rapport.docx', 'rapport.docx', false],
    ['a:b', 'a_b', true],
    ['quoi?.txt', 'quoi_.txt', true],
    ['CON', '_CON', true],
    ['con.txt', '_con.txt', true],
    ['Nul.tar.gz', '_Nul.tar.gz', true],
    ['COM1', '_COM1', true],
    ['LPT9.log', '_LPT9.log', true],
    ['CONSOLE', 'CONSOLE', false],
    ['fin. ', 'fin__', true],
    ['fin...', 'fin___', true],
    ['back\\slash', 'back_slash', true],
    ['tab\tname', 'tab_name', true],
  ])('Windows: %j → %j', (name, safe, renamed) => {
    expect(safeName(name, 'win32')).toEqual({ name: safe, renamed });
  });

  it('keeps Linux names, refuses what is no single name', () => {
    expect(safeName('a:b?', 'posix')).toEqual({ name: 'a:b?', renamed: false });
    for (const bad of ['', '.', '..', 'a/b', 'a\0b']) expect(() => safeName(bad, 'posix')).toThrow(UnsafePathError);
  });
});

describe('restoreLocation', () => {
  it('maps roots to folders under the target', () => {
    expect(restoreLocation('D:\\Restore', 'C:/Data/x.doc', 'win32')).toEqual({ path: 'D:\\Restore\\C\\Data\\x.doc', renamed: false });
    expect(restoreLocation('D:\\Restore', '//nas/share/x', 'win32').path).toBe('D:\\Restore\\UNC\\nas\\share\\x');
    expect(restoreLocation('D:\\Restore', '/srv/a:b', 'win32')).toEqual({ path: 'D:\\Restore\\srv\\a_b', renamed: true });
    expect(restoreLocation('/restore', 'C:/Data/x.doc', 'posix').path).toBe('/restore/C/Data/x.doc');
    expect(restoreLocation('/restore', '/srv/back\\slash', 'posix').path).toBe('/restore/srv/back\\slash');
  });

  it('with a base, keeps only what lies below it (case rule of the path)', () => {
    expect(restoreLocation('D:\\R', 'C:/Data/Compta/x', 'win32', { base: 'C:/DATA' }).path).toBe('D:\\R\\Compta\\x');
    expect(restoreLocation('D:\\R', 'C:/Data', 'win32', { base: 'C:/Data' }).path).toBe('D:\\R');
    expect(() => restoreLocation('D:\\R', 'C:/Other/x', 'win32', { base: 'C:/Data' })).toThrow(UnsafePathError);
  });

  it('never leaves the target, whatever the names (property)', () => {
    const hostile = fc.constantFrom('..', '.', '...', 'a..b', 'CON', 'c:', 'C:\\x', '\\\\srv', '/etc', 'x/../..', 'nul.txt', ' ', 'a\\..\\..\\b');
    fc.assert(
      fc.property(fc.array(fc.oneof(hostile, fc.string({ minLength: 1, maxLength: 6 })), { minLength: 1, maxLength: 6 }), (names) => {
        for (const platform of ['win32', 'posix'] as const) {
          const native = platform === 'win32' ? path.win32 : path.posix;
          const target = platform === 'win32' ? 'D:\\Restore' : '/restore';
          let location: string;
          try {
            location = restoreLocation(target, `/${names.join('/')}`, platform).path;
          } catch (error) {
            expect(error).toBeInstanceOf(UnsafePathError);
            continue;
          }
          const relative = native.relative(target, location);
          expect(relative.startsWith('..')).toBe(false);
          expect(native.isAbsolute(relative)).toBe(false);
          if (platform === 'win32') {
            for (const part of relative.split('\\').filter(Boolean)) {
              expect(part).not.toMatch(/[<>:"/|?*\\]/);
              expect(part).not.toMatch(/^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$/i);
              expect(part).not.toMatch(/[. ]$/);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a relative target', () => {
    expect(() => restoreLocation('Restore', 'C:/x', 'win32')).toThrow(UnsafePathError);
    expect(() => restoreLocation('\\Restore', 'C:/x', 'win32')).toThrow(UnsafePathError);
    expect(() => restoreLocation('restore', '/x', 'posix')).toThrow(UnsafePathError);
  });
});
