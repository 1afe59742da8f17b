/** Tiny timing helpers for the engine's hand-run benchmarks: best and median of n runs, in MB/s (10^6 bytes). */
export interface Timing {
  best: number;
  median: number;
  result: unknown;
}

export async function time(runs: number, work: () => unknown): Promise<Timing> {
  const durations: number[] = [];
  let result: unknown;
  await work(); // warm-up: JIT, WASM compilation, first allocations
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    result = await work();
    durations.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  durations.sort((a, b) => a - b);
  return { best: durations[0]!, median: durations[Math.floor(durations.length / 2)]!, result };
}

export function report(label: string, bytes: number, timing: Timing, extra = ''): void {
  const rate = (seconds: number) => (bytes / seconds / 1e6).toFixed(0);
  console.log(
    `${label.padEnd(58)} ${rate(timing.median).padStart(6)} MB/s median  ${rate(timing.best).padStart(6)} MB/s best${extra ? `  ${extra}` : ''}`,
  );
}
