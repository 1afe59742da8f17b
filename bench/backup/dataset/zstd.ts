// How much zstd level 1 shrinks each category of the data set: files concatenated per category and piped
// through the zstd CLI (window 512 KiB at level 1, so a category's figure is close to the sum of its files').
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { once } from 'node:events';

export async function zstdSize(paths: string[], level = 1): Promise<number> {
  const child = spawn('zstd', [`-${level}`, '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let compressed = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    compressed += chunk.length;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'close') as Promise<[number | null]>;
  try {
    for (const path of paths) {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
      }
    }
  } finally {
    child.stdin.end();
  }
  const [code] = await exited;
  if (code !== 0) throw new Error(`zstd -${level} exited with ${code}: ${stderr.trim()}`);
  return compressed;
}
