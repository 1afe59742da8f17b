// The report: one row per metric, one column per tool with its ratio to restic-S3, and the issue's targets for
// vigie-agent marked met, missed or missing. Every figure comes from the results; none is typed in.
import type { BenchmarkResults, Phase, ToolResult } from './harness';
import { TOOL_LABELS, type ToolName } from './runners/runner';

const MIB = 2 ** 20;
/** The issue's memory target, 200 MB, read strictly as 200 × 10^6 bytes. */
export const PEAK_MEMORY_TARGET_BYTES = 200e6;

type Direction = 'higher' | 'lower';

interface Metric {
  id: string;
  label: string;
  /** The figure compared across tools (throughput for backups and restores, else the raw value). */
  value: (tool: ToolResult, results: BenchmarkResults) => number | undefined;
  show: (tool: ToolResult, results: BenchmarkResults) => string;
  /** What a larger ratio means. */
  better: Direction;
  target?: { text: string; check: (value: number, ratio: number | undefined) => boolean; relative: boolean };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) =>
  bytes >= 10 * MIB ? `${(bytes / MIB).toFixed(0)} MiB` : bytes >= MIB ? `${(bytes / MIB).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
const phaseMs = (tool: ToolResult, phase: Phase) => tool.phases[phase]?.wallMs;
const throughput = (tool: ToolResult, results: BenchmarkResults, phase: Phase) => {
  const ms = phaseMs(tool, phase);
  return ms === undefined ? undefined : results.dataset.bytes / MIB / (ms / 1000);
};

function timeMetric(id: string, label: string, phase: Phase, target?: Metric['target']): Metric {
  return { id, label, value: (t) => phaseMs(t, phase), show: (t) => seconds(phaseMs(t, phase)!), better: 'lower', ...(target ? { target } : {}) };
}

function throughputMetric(id: string, label: string, phase: Phase, target?: Metric['target']): Metric {
  return {
    id,
    label,
    value: (t, r) => throughput(t, r, phase),
    show: (t, r) => `${seconds(phaseMs(t, phase)!)} · ${throughput(t, r, phase)!.toFixed(1)} MiB/s`,
    better: 'higher',
    ...(target ? { target } : {}),
  };
}

function uploadMetric(id: string, label: string, phase: Phase): Metric {
  return { id, label, value: (t) => t.phases[phase]?.uploadedBytes, show: (t) => mib(t.phases[phase]!.uploadedBytes!), better: 'lower' };
}

export const METRICS: Metric[] = [
  timeMetric('init', 'Init (repository creation)', 'init'),
  throughputMetric('initial', 'Initial backup (time · throughput)', 'initial', { text: '≥ 2× restic-S3 throughput', relative: true, check: (_v, ratio) => ratio !== undefined && ratio >= 2 }),
  timeMetric('incremental', 'Incremental backup after one simulated day', 'incremental'),
  timeMetric('unchanged', 'Unchanged re-run', 'unchanged', { text: '≤ 0.5× restic-S3 time', relative: true, check: (_v, ratio) => ratio !== undefined && ratio <= 0.5 }),
  throughputMetric('restore', 'Full restore to an empty folder (time · throughput)', 'restore', { text: '≥ 2× restic-S3 throughput', relative: true, check: (_v, ratio) => ratio !== undefined && ratio >= 2 }),
  uploadMetric('uploaded-initial', 'Bytes uploaded: initial backup', 'initial'),
  uploadMetric('uploaded-incremental', 'Bytes uploaded: incremental', 'incremental'),
  uploadMetric('uploaded-unchanged', 'Bytes uploaded: unchanged re-run', 'unchanged'),
  {
    id: 'stored',
    label: 'Bytes stored at the end (all versions)',
    value: (t) => t.storedBytes,
    show: (t) => mib(t.storedBytes!),
    better: 'lower',
    target: { text: '≤ 1.0× restic-S3', relative: true, check: (_v, ratio) => ratio !== undefined && ratio <= 1 },
  },
  {
    id: 'peak-rss',
    label: 'Peak RSS (largest of all phases)',
    value: (t) => peakRss(t),
    show: (t) => mib(peakRss(t)!),
    better: 'lower',
    target: { text: '≤ 200 MB', relative: false, check: (value) => value <= PEAK_MEMORY_TARGET_BYTES },
  },
];

function peakRss(tool: ToolResult): number | undefined {
  const peaks = Object.values(tool.phases).map((p) => p.peakRssBytes);
  return peaks.length ? Math.max(...peaks) : undefined;
}

export type TargetStatus = 'met' | 'missed' | 'missing' | 'n/a';

export interface MetricRow {
  metric: string;
  label: string;
  better: Direction;
  target?: string;
  /** Per tool: the compared value, the shown figure and the ratio to restic-S3 (tool ÷ restic-S3). */
  tools: Partial<Record<ToolName, { value: number; shown: string; ratioToResticS3?: number } | { missing: string }>>;
  /** The target's status for vigie-agent. */
  vigie?: TargetStatus;
}

export function metricRows(results: BenchmarkResults): MetricRow[] {
  const reference = results.tools.find((t) => t.tool === 'restic-s3');
  return METRICS.map((metric) => {
    const base = reference ? metric.value(reference, results) : undefined;
    const row: MetricRow = { metric: metric.id, label: metric.label, better: metric.better, tools: {} };
    if (metric.target) row.target = metric.target.text;
    for (const tool of results.tools) {
      const value = metric.value(tool, results);
      if (value === undefined) {
        row.tools[tool.tool] = { missing: tool.status === 'ok' ? 'not measured' : tool.status };
        continue;
      }
      row.tools[tool.tool] = { value, shown: metric.show(tool, results), ...(base ? { ratioToResticS3: value / base } : {}) };
    }
    const vigie = results.tools.find((t) => t.tool === 'vigie');
    if (metric.target && vigie) {
      const figures = row.tools.vigie;
      if (!figures || 'missing' in figures) row.vigie = 'missing';
      else if (metric.target.relative && figures.ratioToResticS3 === undefined) row.vigie = 'n/a';
      else row.vigie = metric.target.check(figures.value, figures.ratioToResticS3) ? 'met' : 'missed';
    }
    return row;
  });
}

export function markdownReport(results: BenchmarkResults): string {
  const rows = metricRows(results);
  const tools = results.tools.map((t) => t.tool);
  const hasVigie = tools.includes('vigie');
  const { machine, load, dataset } = results;
  const lines: string[] = [];
  lines.push(`# Backup benchmark — ${results.smoke ? 'smoke run' : 'full run'} of ${results.startedAt}`, '');
  lines.push(
    `Machine: ${machine.nproc} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}, bench folder on ${machine.benchFilesystem}. ` +
      `Load (1-min average) ${load.atStart} at the start, ${load.min}–${load.max} during the run (mean ${load.mean}). Run: ${results.durationSeconds} s.`,
    '',
  );
  lines.push(
    `Data set: seed ${dataset.seed}, ${mib(dataset.bytes)} in ${dataset.files.toLocaleString('en')} files and ${dataset.dirs.toLocaleString('en')} folders` +
      `${dataset.zstd1Ratio === undefined ? '' : `, zstd -1 ratio ${dataset.zstd1Ratio.toFixed(3)}`} (${dataset.cached ? 'cached' : `generated in ${dataset.generation.seconds.toFixed(1)} s, ${dataset.generation.megabytesPerSecond.toFixed(0)} MB/s`}). Day 1 (${mib(dataset.dayOneBytes)} rewritten or added, ${((dataset.dayOneBytes / dataset.bytes) * 100).toFixed(2)} % of the set): ${dataset.dailyChange}.`,
    '',
  );
  lines.push('Each cell: the figure, then its ratio to restic-S3 (tool ÷ restic-S3; for throughput rows a ratio above 1 is faster, elsewhere below 1 is better).', '');
  const header = ['Metric', ...tools.map((t) => TOOL_LABELS[t]), ...(hasVigie ? ['Target (vigie-agent)', 'vigie-agent'] : [])];
  lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  for (const row of rows) {
    const cells = tools.map((tool) => {
      const figures = row.tools[tool];
      if (!figures || 'missing' in figures) return figures?.missing ?? '—';
      return figures.ratioToResticS3 === undefined ? figures.shown : `${figures.shown} (×${figures.ratioToResticS3.toFixed(2)})`;
    });
    lines.push(`| ${[row.label, ...cells, ...(hasVigie ? [row.target ?? '', row.target ? (row.vigie ?? '') : ''] : [])].join(' | ')} |`);
  }
  lines.push('');
  for (const tool of results.tools) {
    if (tool.status === 'missing') lines.push(`- **${tool.tool}: not available** (${tool.reason}).`);
    else if (tool.status === 'failed') lines.push(`- **${tool.tool}: FAILED** — ${tool.reason?.split('\n')[0]}`);
    else lines.push(`- ${tool.tool}: restore ${tool.restoreVerified ? 'byte-identical to the source (tree digest)' : 'NOT verified'}; ${Object.entries(tool.settings).map(([k, v]) => `${k}: ${v}`).join('; ')}. Bytes — ${tool.byteMethod}.`);
  }
  lines.push('', 'Peak RSS: `/usr/bin/time -v` "Maximum resident set size", the largest single process of the command (threads included).');
  return `${lines.join('\n')}\n`;
}
