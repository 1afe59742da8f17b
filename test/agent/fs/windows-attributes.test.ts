import { describe, expect, it } from 'vitest';
import { parseAttribOutput } from '../../../agent/src/fs/windows-attributes';

describe('parseAttribOutput', () => {
  it('reads the attribute columns of attrib /S /D, keyed by the lower-case path', () => {
    const output = [
      'A                    C:\\Data\\rapport.docx',
      'A  SH R              C:\\Data\\desktop.ini',
      '     H               C:\\Data\\Dossier caché',
      '    R                C:\\Data\\Lecture seule.pdf',
      '',
      'A                    \\\\srv\\partage\\x.txt',
    ].join('\r\n');
    const attributes = parseAttribOutput(output);
    expect(attributes.get('c:\\data\\rapport.docx')).toEqual({ readOnly: false, hidden: false, system: false });
    expect(attributes.get('c:\\data\\desktop.ini')).toEqual({ readOnly: true, hidden: true, system: true });
    expect(attributes.get('c:\\data\\dossier caché')).toEqual({ readOnly: false, hidden: true, system: false });
    expect(attributes.get('c:\\data\\lecture seule.pdf')).toEqual({ readOnly: true, hidden: false, system: false });
    expect(attributes.get('\\\\srv\\partage\\x.txt')).toEqual({ readOnly: false, hidden: false, system: false });
    expect(attributes.size).toBe(5);
  });
});
