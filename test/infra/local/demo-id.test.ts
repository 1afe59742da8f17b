import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoId } from '../../../infra/local/demo-id';
import { freePort } from '../../../infra/local/ports';
import { startTestApi, type TestApi } from '../../support/local-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api?.stop());

const io = () => {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, io: { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) } };
};

describe('npm run demo-id', () => {
  it("prints the running API's demo contract id, and nothing else", async () => {
    const { lines, io: sink } = io();
    expect(await runDemoId([], sink, { VIGIE_PORT: new URL(api.url).port }, api.home)).toBe(0);
    expect(lines).toEqual({ out: [api.runtime.demoContract!.id], err: [] });
  });

  it('says in one line that nothing answers when npm start is not running, and exits 1', async () => {
    const { lines, io: sink } = io();
    const home = await mkdtemp(join(tmpdir(), 'vigie-demo-id-'));
    try {
      expect(await runDemoId([], sink, { VIGIE_PORT: String(await freePort()) }, home)).toBe(1);
      expect(lines.err).toEqual([expect.stringMatching(/^error: nothing answers at http:\/\/127\.0\.0\.1:\d+: is npm start running/)]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('refuses bad usage with exit 2', async () => {
    const { lines, io: sink } = io();
    expect(await runDemoId(['extra'], sink, {})).toBe(2);
    expect(await runDemoId([], sink, { VIGIE_PORT: 'abc' })).toBe(2);
    expect(lines.err).toHaveLength(2);
    expect(await runDemoId(['--help'], sink, {})).toBe(0);
  });
});
