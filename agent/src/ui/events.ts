/**
 * What the engine tells about its work, as events: the CLI decides how to show them (a progress bar on a terminal,
 * log lines otherwise, JSON lines for scripts). The engine never prints.
 */
export type Problem = { path: string; kind: 'changed' | 'vanished' | 'unreadable' | 'damaged' | 'missing'; message: string };

export interface Progress {
  /** What the work is about, e.g. "backup" or "restore". */
  phase: string;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes sent to (backup) or fetched from (restore) the provider. */
  bytesTransferred: number;
  /** Whether the totals are still growing (the walk has not finished). */
  counting: boolean;
  currentPath?: string | undefined;
}

export type AgentEvent =
  | { type: 'message'; level: 'info' | 'warning'; text: string }
  | { type: 'progress'; progress: Progress }
  | { type: 'retry'; what: string; attempt: number; waitMs: number; reason: string }
  | { type: 'problem'; problem: Problem }
  | { type: 'summary'; summary: Record<string, unknown>; lines: string[] };

export interface Reporter {
  report(event: AgentEvent): void;
  /** Ends the display (the progress bar goes away before the summary is printed). */
  close(): void;
}

export const silentReporter: Reporter = { report: () => undefined, close: () => undefined };
