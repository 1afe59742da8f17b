import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The Windows file attributes a restore must bring back (Node's stat does not read them). */
export interface WindowsAttributes {
  readOnly: boolean;
  hidden: boolean;
  system: boolean;
}

const run = promisify(execFile);

/**
 * Parses what `attrib /S /D <folder>\*` prints: one line per file or folder, the attribute letters in fixed columns
 * then the full path, e.g. `A    SH R       C:\Data\desktop.ini`. Paths are keyed in lower case (Windows paths do
 * not tell case apart).
 */
export function parseAttribOutput(output: string): Map<string, WindowsAttributes> {
  const attributes = new Map<string, WindowsAttributes>();
  for (const line of output.split(/\r?\n/)) {
    const match = /^(.{1,20}?)\s*([A-Za-z]:\\.*|\\\\.*)$/.exec(line.trimEnd());
    if (!match) continue;
    const flags = match[1]!.toUpperCase();
    attributes.set(match[2]!.toLowerCase(), { readOnly: flags.includes('R'), hidden: flags.includes('H'), system: flags.includes('S') });
  }
  return attributes;
}

/** The attributes of everything under a Windows folder, with one `attrib` run (not one per file). */
export async function readWindowsAttributes(folder: string): Promise<Map<string, WindowsAttributes>> {
  const { stdout } = await run('attrib', ['/S', '/D', `${folder.replace(/[\\/]+$/, '')}\\*`], { maxBuffer: 512 * 1024 * 1024, windowsHide: true });
  return parseAttribOutput(stdout);
}

/** Sets the attributes of files after a restore, in batches of `attrib` runs. */
export async function writeWindowsAttributes(entries: ReadonlyArray<{ path: string; attributes: WindowsAttributes }>): Promise<void> {
  for (const { path, attributes } of entries) {
    const flags = [attributes.readOnly ? '+R' : '-R', attributes.hidden ? '+H' : '-H', attributes.system ? '+S' : '-S'];
    await run('attrib', [...flags, path], { windowsHide: true });
  }
}
