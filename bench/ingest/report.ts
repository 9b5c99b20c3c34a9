/** The benchmark's output: a table for people, then one JSON line for machines (always last). */
export interface BenchSummary {
  raw_broker_msgs_per_s: number;
  ingest_msgs_per_s: number;
  ratio: number;
  p50_ms: number;
  p99_ms_half_load: number;
  lost: number;
  duplicates: number;
  rss_mb: number;
}

export type Row = [string, string];

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function printTable(title: string, rows: readonly Row[]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [title, '-'.repeat(title.length), ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

export function printSummary(summary: BenchSummary): void {
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** Progress goes to stderr so stdout stays the table and the final JSON line. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
