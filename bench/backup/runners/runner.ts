// One interface for every tool of the benchmark. A runner says how to drive its tool; the harness times each
// phase under GNU time and asks the runner for bytes before and after.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Measured } from '../measure';

export const TOOLS = ['restic-s3', 'restic-local', 'borg', 'vigie'] as const;
export type ToolName = (typeof TOOLS)[number];

export const TOOL_LABELS: Record<ToolName, string> = {
  'restic-s3': 'restic (S3, local S3 server)',
  'restic-local': 'restic (local repository)',
  borg: 'borg (local repository)',
  vigie: 'vigie-agent (local runtime)',
};

export interface RunnerContext {
  /** This tool's own folder: repository, caches, passphrase, logs. */
  workDir: string;
  /** The tree to back up. */
  source: string;
  /** The environment the tools start from (the harness's, before anything in-process changed it). */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** One log file per tool, for the tools' own output. */
  logFile: string;
}

export interface BackupRunner {
  readonly tool: ToolName;
  /** Undefined when the tool can run here; otherwise why not (the report shows it as missing). */
  unavailable(): Promise<string | undefined>;
  /** Starts what the tool needs (servers, runtime, key registration); not timed. */
  setUp(): Promise<void>;
  /** Creates the repository. */
  init(): Promise<Measured>;
  /** Backs up the source; `name` tells the phase apart where a tool wants a name (borg archives). */
  backup(name: string): Promise<Measured>;
  /** Restores the latest backup into `target` (an empty folder); `restoredRoot` is where the source's tree landed. */
  restore(target: string): Promise<Measured & { restoredRoot: string }>;
  /** Bytes sent to the repository since setUp, cumulative. */
  uploadedBytes(): Promise<number>;
  /** Bytes the repository holds now (every version, for S3). */
  storedBytes(): Promise<number>;
  /** Settings worth reporting (version, compression, chunking, encryption). */
  settings(): Record<string, string>;
  /** How uploaded and stored bytes are measured for this tool. */
  readonly byteMethod: string;
  tearDown(): Promise<void>;
}

/** Sum of the sizes of the regular files under `path` (what a local repository occupies, before block rounding). */
export function treeBytes(path: string): number {
  let total = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const child = join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) total += lstatSync(child).size;
    }
  };
  walk(path);
  return total;
}
