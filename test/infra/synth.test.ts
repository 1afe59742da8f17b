import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/http/routes';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SYNTH_TIMEOUT_MS = 10 * 60_000;

/** The real thing: `cdk synth` of the whole app with cdk.json's context, bundling every Lambda with esbuild. */
describe('cdk synth of the whole app', () => {
  let outdir: string;
  let synth: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    outdir = mkdtempSync(path.join(tmpdir(), 'vigie-cdk-synth-'));
    try {
      const { stdout, stderr } = await run(path.join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '-o', outdir], {
        cwd: ROOT,
        timeout: SYNTH_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        // Offline: no credentials, no account look-ups, no notices.
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' },
      });
      synth = { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code?: number; stdout?: string; stderr?: string };
      synth = { code: typeof failure.code === 'number' ? failure.code : 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? String(error) };
    }
  }, SYNTH_TIMEOUT_MS);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('exits 0', () => {
    expect(synth.code, synth.stderr.slice(-4000)).toBe(0);
  });

  it('produces the two stack templates', () => {
    for (const stack of ['VigieStateful', 'VigieApi']) {
      expect(existsSync(path.join(outdir, `${stack}.template.json`)), stack).toBe(true);
    }
  });

  it('bundles one ESM Lambda per route plus the authorizer, each exporting handler', async () => {
    const template = JSON.parse(readFileSync(path.join(outdir, 'VigieApi.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
    };
    const assetDirs = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => path.join(outdir, String(r.Metadata?.['aws:asset:path'])));
    expect(assetDirs).toHaveLength(ROUTES.length + 1);

    for (const dir of assetDirs) {
      const bundle = path.join(dir, 'index.mjs');
      expect(existsSync(bundle), bundle).toBe(true);
      expect(existsSync(`${bundle}.map`), `${bundle}.map`).toBe(true);
    }
    // Load every bundle in a plain Node process, as Lambda would (ESM, no tsx): catches a missing
    // `require` banner or a dependency esbuild could not resolve.
    const script = `for (const f of JSON.parse(process.argv[1])) { const m = await import(f); if (typeof m.handler !== 'function') throw new Error(f + ' has no handler'); }`;
    await run(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(assetDirs.map((d) => path.join(d, 'index.mjs')))], {
      cwd: outdir,
      timeout: 60_000,
      env: {
        ...process.env,
        TABLE_NAME: 'vigie-test',
        AWS_REGION: 'eu-west-1',
        AUTH_MODE: 'cognito',
        COGNITO_USER_POOL_ID: 'eu-west-1_test',
        COGNITO_CLIENT_ID: 'test-client',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
  }, 120_000);
});
