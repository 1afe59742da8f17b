import { describe, expect, it } from 'vitest';
import type { BenchmarkResults, ToolResult } from '../../bench/backup/harness';
import { markdownReport, metricRows } from '../../bench/backup/report';

const MIB = 2 ** 20;

function tool(name: ToolResult['tool'], seconds: { initial: number; unchanged: number; restore: number }, storedMiB: number, peakMiB: number): ToolResult {
  const phase = (s: number, uploadedBytes?: number) => ({ wallMs: s * 1000, peakRssBytes: peakMiB * MIB, ...(uploadedBytes === undefined ? {} : { uploadedBytes }) });
  return {
    tool: name,
    label: name,
    status: 'ok',
    settings: {},
    byteMethod: 'test',
    restoreVerified: true,
    storedBytes: storedMiB * MIB,
    phases: { init: phase(1), initial: phase(seconds.initial, 500 * MIB), incremental: phase(2, 5 * MIB), unchanged: phase(seconds.unchanged, 1024), restore: phase(seconds.restore) },
  };
}

function results(tools: ToolResult[]): BenchmarkResults {
  return {
    kind: 'vigie-backup-benchmark',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationSeconds: 1,
    smoke: true,
    machine: { nproc: 2, cpuModel: 'test', memoryGiB: 1, kernel: 'test', node: 'v20', benchFilesystem: 'ext4' },
    load: { atStart: 0, atEnd: 0, min: 0, max: 0, mean: 0 },
    dataset: { bytes: 1024 * MIB, dayOneBytes: 6 * MIB, seed: 1, files: 1, dirs: 1, zstd1Ratio: 0.5, cached: true, dailyChange: 'x', generation: { seconds: 1, megabytesPerSecond: 1 } } as BenchmarkResults['dataset'],
    tools,
  };
}

describe('backup benchmark report', () => {
  it('gives each tool its ratio to restic-S3 and marks the targets for vigie-agent', () => {
    const rows = metricRows(
      results([tool('restic-s3', { initial: 20, unchanged: 2, restore: 10 }, 600, 270), tool('vigie', { initial: 8, unchanged: 1.5, restore: 5 }, 550, 150)]),
    );
    const row = (id: string) => rows.find((r) => r.metric === id)!;
    expect(row('initial').tools.vigie).toMatchObject({ ratioToResticS3: 2.5 });
    expect(row('initial').vigie).toBe('met');
    expect(row('unchanged').vigie).toBe('missed'); // 0.75× restic's time, target ≤ 0.5×
    expect(row('restore').vigie).toBe('met'); // exactly 2× the throughput
    expect(row('stored').vigie).toBe('met');
    expect(row('peak-rss').vigie).toBe('met');
    expect(row('peak-rss').tools['restic-s3']).toMatchObject({ ratioToResticS3: 1 });
  });

  it('shows a missing vigie-agent as missing, never as a figure', () => {
    const vigie: ToolResult = { tool: 'vigie', label: 'vigie', status: 'missing', reason: 'no init command yet', settings: {}, byteMethod: 'test', phases: {} };
    const all = results([tool('restic-s3', { initial: 20, unchanged: 2, restore: 10 }, 600, 270), vigie]);
    for (const row of metricRows(all)) {
      expect(row.tools.vigie).toEqual({ missing: 'missing' });
      if (row.target) expect(row.vigie).toBe('missing');
    }
    expect(markdownReport(all)).toContain('**vigie: not available** (no init command yet)');
  });

  it('cannot judge relative targets without restic-S3', () => {
    const rows = metricRows(results([tool('vigie', { initial: 8, unchanged: 1, restore: 5 }, 550, 250)]));
    expect(rows.find((r) => r.metric === 'initial')!.vigie).toBe('n/a');
    expect(rows.find((r) => r.metric === 'peak-rss')!.vigie).toBe('missed'); // 250 MiB > 200 MB
  });
});
