import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runVigie } from '../../../infra/cli/vigie';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the CLI as operators do, in a separate Node process. */
function vigie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/vigie.ts', ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI in-process, for the many error cases (same code path, no process start-up cost). */
async function vigieInProcess(...args: string[]): Promise<{ status: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runVigie(args, { out: (line) => stdout.push(line), err: (line) => stderr.push(line) });
  return { status, stdout, stderr };
}

describe('vigie CLI (spawned)', () => {
  it('sla deadline prints the deadline in the Paris offset', () => {
    const result = vigie('sla', 'deadline', '--calendar', 'heures-ouvrees', '--start', '2026-03-02T16:00:00+01:00', '--minutes', '270');
    expect(result).toEqual({ status: 0, stdout: '2026-03-03T11:00:00+01:00\n', stderr: '' });
  });

  it('sla deadline honours --region alsace-moselle', () => {
    const args = ['sla', 'deadline', '--calendar', 'heures-ouvrees', '--start', '2026-04-03T09:00:00+02:00', '--minutes', '60'];
    expect(vigie(...args).stdout).toBe('2026-04-03T10:00:00+02:00\n');
    expect(vigie(...args, '--region', 'alsace-moselle').stdout).toBe('2026-04-07T09:30:00+02:00\n');
  });

  it('sla duration prints business minutes', () => {
    const result = vigie('sla', 'duration', '--calendar', 'service', '--start', '2026-03-02T21:00:00+01:00', '--end', '2026-03-03T08:00:00Z');
    expect(result).toEqual({ status: 0, stdout: '180\n', stderr: '' });
  });

  it.each([
    ['unknown calendar', ['sla', 'deadline', '--calendar', 'nuit', '--start', '2026-03-02T16:00:00+01:00', '--minutes', '1']],
    ['unparsable date', ['sla', 'deadline', '--calendar', 'service', '--start', '2026-03-02 16h', '--minutes', '1']],
    ['negative minutes', ['sla', 'deadline', '--calendar', 'service', '--start', '2026-03-02T16:00:00+01:00', '--minutes', '-5']],
    ['missing option', ['sla', 'duration', '--calendar', 'service', '--start', '2026-03-02T16:00:00+01:00']],
  ])('%s → one line on stderr, exit code 2', (_what, args) => {
    const result = vigie(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  });

  it('--help prints usage on stdout and exits 0', () => {
    const result = vigie('sla', 'deadline', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: vigie sla deadline');
    expect(result.stdout).toContain('--minutes <n>');
  });
});

describe('vigie CLI (in-process)', () => {
  it.each([
    [['sla', 'deadline', '--calendar', 'service', '--start', '2026-02-30T10:00:00+01:00', '--minutes', '1'], /invalid instant/],
    [['sla', 'deadline', '--calendar', 'service', '--start', '2026-03-02T10:00:00', '--minutes', '1'], /offset/],
    [['sla', 'deadline', '--calendar', 'service', '--start', '2026-03-02T10:00:00Z', '--minutes', 'abc'], /minutes/],
    [['sla', 'deadline', '--calendar', 'service', '--start', '2026-03-02T10:00:00Z', '--minutes', '1e9'], /minutes/],
    [['sla', 'deadline', '--calendar', 'service', '--start', '2026-03-02T10:00:00Z', '--minutes', '1', '--region', 'corse'], /region/],
    [['sla', 'deadline', '--calendar', 'service', '--start', '2026-03-02T10:00:00Z', '--minutes', '1', '--verbose'], /unknown option/],
    [['sla', 'deadline', '--start', '2026-03-02T10:00:00Z', '--minutes', '1'], /--calendar/],
    [['sla', 'eta'], /unknown command 'eta'/],
    [['sla'], /missing command/],
    [['slaa'], /unknown command/],
    [[], /missing command/],
  ])('%j → exit 2 with one error line', async (args, message) => {
    const result = await vigieInProcess(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^error: /);
    expect(result.stderr[0]).not.toContain('\n');
    expect(result.stderr[0]).toMatch(message);
  });

  it('duration prints a negative number when --end is before --start', async () => {
    const result = await vigieInProcess('sla', 'duration', '--calendar', 'heures-ouvrees', '--start', '2026-03-02T15:00:00+01:00', '--end', '2026-03-02T11:00:00+01:00');
    expect(result).toEqual({ status: 0, stdout: ['-120'], stderr: [] });
  });

  it('duration keeps seconds as fractions of a minute', async () => {
    const result = await vigieInProcess('sla', 'duration', '--calendar', 'bureau', '--start', '2026-03-02T10:00:00+01:00', '--end', '2026-03-02T10:00:20+01:00');
    expect(result.stdout).toEqual(['0.333333']);
  });

  it('help is available at every level', async () => {
    for (const args of [['--help'], ['sla', '--help'], ['sla', 'duration', '--help'], ['help', 'sla']]) {
      const result = await vigieInProcess(...args);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout.join('\n'), args.join(' ')).toMatch(/^Usage: vigie/);
    }
  });
});
