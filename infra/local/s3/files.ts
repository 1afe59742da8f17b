import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Write to a sibling temp file then rename, so a reader or a crash never sees half a file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const text = JSON.stringify(value, null, 1);
  try {
    // The folder nearly always exists: create it only when the write says it does not (one file operation less).
    await writeFile(temp, text).catch(async (error: unknown) => {
      if (!isNotFound(error)) throw error;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, text);
    });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true, recursive: true });
}
