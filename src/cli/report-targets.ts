import { resolve } from 'node:path';
import { ConformanceInputError } from '../errors.js';
import { REPORTER_NAMES, reporterFor, type ReporterName } from '../harness/reporters/index.js';
import type { RunReport } from '../harness/results.js';
import type { CommandIo } from './command.js';
import { reportFile, writeReportFile } from './report-file.js';

/** One rendering of a run: a reporter, written to a file or (no file) to stdout. */
export interface ReportTarget {
  readonly reporter: ReporterName;
  /** Absolute path; absent = stdout. */
  readonly file?: string;
}

const SPEC = /^([a-z]+)(?:=(.+))?$/;

/**
 * `--reporter NAME[=FILE]` (repeatable) plus the older `--output FILE`, which applies to the one
 * reporter given without a file (`--reporter junit --output out.xml`). At most one reporter goes
 * to stdout; default: `pretty` to stdout.
 */
export function parseReportTargets(specs: readonly string[] | undefined, output: string | undefined, cwd: string, usage: string): ReportTarget[] {
  const fix = `use --reporter NAME or --reporter NAME=FILE with NAME one of ${REPORTER_NAMES.join(', ')}; repeat it for several reports. usage: ${usage}`;
  const parsed = (specs === undefined || specs.length === 0 ? ['pretty'] : specs).map((spec): { reporter: ReporterName; file?: string } => {
    const m = SPEC.exec(spec);
    const name = m?.[1];
    if (m === null || name === undefined || !(REPORTER_NAMES as readonly string[]).includes(name)) {
      throw new ConformanceInputError('USAGE', `--reporter ${JSON.stringify(spec.slice(0, 80))} is not a reporter.`, fix);
    }
    const file = m[2];
    if (file !== undefined && file.trim() === '') throw new ConformanceInputError('USAGE', `--reporter ${name}= names no file.`, fix);
    return { reporter: name as ReporterName, ...(file !== undefined ? { file: resolve(cwd, file) } : {}) };
  });
  const toStdout = parsed.filter((t) => t.file === undefined);
  if (toStdout.length > 1) {
    throw new ConformanceInputError('USAGE', `${toStdout.map((t) => t.reporter).join(' and ')} would both write to stdout.`, 'give every reporter but one a file: --reporter junit=out.xml --reporter markdown=summary.md.');
  }
  let targets: ReportTarget[] = parsed;
  if (output !== undefined) {
    if (output.trim() === '') throw new ConformanceInputError('USAGE', '--output names no file.', fix);
    if (toStdout.length === 0) throw new ConformanceInputError('USAGE', '--output applies to a --reporter given without =FILE, and every reporter here has a file.', fix);
    targets = parsed.map((t) => (t.file === undefined ? { reporter: t.reporter, file: resolve(cwd, output) } : t));
  }
  const files = targets.flatMap((t) => (t.file === undefined ? [] : [t.file]));
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice !== undefined) throw new ConformanceInputError('USAGE', `two reports would be written to ${twice}.`, 'give each reporter its own file.');
  return targets;
}

/**
 * Checks, before any work, that every report file can be written (report-file.ts: a regular
 * file's directory exists and is writable; a symlink is followed; a FIFO or device is written
 * through). A long run never ends with its results lost.
 */
export async function checkReportTargets(targets: readonly ReportTarget[]): Promise<void> {
  for (const t of targets) if (t.file !== undefined) await reportFile(t.file, t.reporter);
}

/** Renders the run once per target; regular files are written whole (temp file, then rename), FIFOs and devices through. */
export async function writeReports(targets: readonly ReportTarget[], render: (name: ReporterName) => string, io: CommandIo, ok: boolean): Promise<void> {
  const toStdout = targets.some((t) => t.file === undefined);
  for (const t of targets) {
    const text = render(t.reporter);
    if (t.file === undefined) {
      io.out(text);
      continue;
    }
    await writeReportFile(await reportFile(t.file, t.reporter), `${text}\n`);
    const line = `wrote ${t.reporter} report to ${t.file}: ${ok ? 'OK' : 'NOT OK'}`;
    if (toStdout) io.err(line);
    else io.out(line);
  }
}

/** Writes the reports of one finished run. */
export function writeRunReports(targets: readonly ReportTarget[], report: RunReport, io: CommandIo): Promise<void> {
  return writeReports(targets, (name) => reporterFor(name)(report), io, report.footer.ok);
}
