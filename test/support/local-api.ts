import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime';
import type { StaffRole } from '../../shared/schemas/principal';

export interface TestApi {
  runtime: LocalRuntime;
  /** The runtime's home (its issuer key, its data). */
  home: string;
  url: string;
  token(role: StaffRole, userId?: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{
    status: number;
    headers: Headers;
    body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  }>;
  stop(): Promise<void>;
}

/** Starts the local runtime over real HTTP against the run's DynamoDB Local, with a table of its own. */
export async function startTestApi(): Promise<TestApi> {
  const home = await mkdtemp(join(tmpdir(), 'vigie-test-'));
  const runtime = await startLocalRuntime({
    home,
    apiPort: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `vigie-test-${randomUUID()}`,
    logLevel: 'SILENT',
  });
  return {
    runtime,
    home,
    url: runtime.apiUrl,
    token: (role, userId) => runtime.issuer.sign({ role, userId: userId ?? `local-${role}` }),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers['authorization'] = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.body);
      }
      const response = await fetch(`${runtime.apiUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async stop() {
      await runtime.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
