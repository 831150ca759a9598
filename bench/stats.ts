/** Small statistics and output helpers shared by the benchmarks. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

export async function writeResult(name: string, data: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  await writeFile(path, `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, ...(data as object) }, null, 2)}\n`);
  return path;
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

/** The machine's load averages (1, 5, 15 min) and core count, recorded beside every figure. */
export function machineLoad(): { readonly loadavg: readonly number[]; readonly cores: number } {
  return { loadavg: loadavg().map((l) => Math.round(l * 100) / 100), cores: cpus().length };
}

export function fmtLoad(load: { readonly loadavg: readonly number[] }): string {
  return `load ${load.loadavg.map((l) => fmt(l, 1)).join('/')}`;
}

/** Process CPU time (user + system) in ms since `since` (a process.cpuUsage() value). */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}
