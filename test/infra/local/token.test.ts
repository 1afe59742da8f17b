import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/local/paths';
import { MAX_TTL_SECONDS, runToken } from '../../../infra/local/token';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'vigie-token-'));
});
afterAll(async () => rm(home, { recursive: true, force: true }));

const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** In-process: the same code path as the command, without a process start per case. */
async function token(...args: string[]): Promise<{ status: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await runToken(args, { out: (line) => stdout.push(line), err: (line) => stderr.push(line) }, home);
  return { status, stdout, stderr };
}

describe('npm run token (in-process)', () => {
  it.each([
    ['no role', []],
    ['an unknown role', ['--role', 'root']],
    ['a fractional ttl', ['--role', 'admin', '--ttl', '1.5']],
    ['a zero ttl', ['--role', 'admin', '--ttl', '0']],
    ['a negative ttl', ['--role', 'admin', '--ttl', '-1']],
    ['an exponent ttl', ['--role', 'admin', '--ttl', '1e3']],
    ['a hexadecimal ttl', ['--role', 'admin', '--ttl', '0x10']],
    ['a ttl with a unit', ['--role', 'admin', '--ttl', '60s']],
    ['a ttl of more than 7 days', ['--role', 'admin', '--ttl', String(MAX_TTL_SECONDS + 1)]],
    ['a huge ttl', ['--role', 'admin', '--ttl', '99999999999999999999999']],
    ['an empty ttl', ['--role', 'admin', '--ttl', '']],
    ['an empty user', ['--role', 'admin', '--user', '']],
    ['a user with a slash', ['--role', 'admin', '--user', 'user/x']],
    ['a user with a space', ['--role', 'admin', '--user', 'a b']],
    ['a user with a newline', ['--role', 'admin', '--user', 'a\nb']],
    ['a user with a bidi override', ['--role', 'admin', '--user', 'a\u202eb']],
    ['a user starting with a dot', ['--role', 'admin', '--user', '.hidden']],
    ['a user of 129 characters', ['--role', 'admin', '--user', 'u'.repeat(129)]],
    ['a missing option value', ['--role', 'admin', '--user']],
    ['an unknown option', ['--role', 'admin', '--rol', 'x']],
    ['an extra argument', ['--role', 'admin', 'extra']],
  ])('%s: exit 2, one line on stderr, no token', async (_what, args) => {
    const result = await token(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^error: [^\n]+$/);
  });

  it('names what is wrong with a ttl and a user', async () => {
    expect((await token('--role', 'admin', '--ttl', '1.5')).stderr[0]).toContain(`a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
    expect((await token('--role', 'admin', '--user', '')).stderr[0]).toContain('a user id');
    expect((await token('--role', 'root')).stderr[0]).toContain('admin, technician, manager');
  });

  it('signs for the role, the user and the ttl asked', async () => {
    const result = await token('--role', 'technician', '--user', 'alice.martin@example.fr', '--ttl', '60');
    expect(result).toMatchObject({ status: 0, stderr: [] });
    const claims = claimsOf(result.stdout[0]!);
    expect(claims).toMatchObject({ sub: 'alice.martin@example.fr', 'cognito:groups': ['technician'] });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(60);
  });

  it('defaults to the seeded local user of the role and a 12 h lifetime; accepts the 7-day maximum', async () => {
    const claims = claimsOf((await token('--role', 'manager')).stdout[0]!);
    expect(claims['sub']).toBe('local-manager');
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(12 * 3600);
    expect((await token('--role', 'admin', '--ttl', String(MAX_TTL_SECONDS))).status).toBe(0);
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await token('--help');
    expect(result.status).toBe(0);
    expect(result.stdout.join('\n')).toContain('--ttl <seconds>');
  });
});

describe('npm run --silent token (spawned as users run it)', () => {
  const npmToken = (...args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'token', '--', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, VIGIE_HOME: home }, timeout: 30_000 });

  it('prints a token and exits 0', () => {
    const result = npmToken('--role', 'admin');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(claimsOf(result.stdout.trim())['sub']).toBe('local-admin');
  });

  it('exits 2 with one line on stderr for bad usage', () => {
    const result = npmToken('--role', 'admin', '--ttl', '1.5');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  });
});
