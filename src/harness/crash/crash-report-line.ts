import type { CrashReport } from './kill-campaign.js';

/**
 * The one stdout line a namespaced crash entry (codex-crash-entry.ts, client-crash-entry.ts)
 * prints for its campaign, and how scripts/crash-safety/run.ts finds it in that output.
 */
export const REPORT_PREFIX = '@crash report ';

export function reportLine(report: CrashReport): string {
  return `${REPORT_PREFIX}${JSON.stringify(report)}\n`;
}

/** The report in an entry's stdout, or undefined when it printed none. */
export function findReport(stdout: string): CrashReport | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
  return line === undefined ? undefined : (JSON.parse(line.slice(REPORT_PREFIX.length)) as CrashReport);
}
