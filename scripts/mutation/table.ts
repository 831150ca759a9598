/**
 * Prints the per-file mutation score table of the last `npm run mutation` (Stryker's JSON report,
 * bench/results/mutation.json, mutation-testing-report-schema) and, with `--survivors`, every
 * surviving or uncovered mutant (file:line, mutator, replacement) for docs/mutation-survivors.md.
 * `--overlay DIR` puts the per-file runs' reports of DIR (bench/results/mutation-per-file/) in place
 * of the full run's entries for their files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../src/errors.js';

type Status = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

interface Mutant {
  readonly id: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: Status;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

export interface MutationReport {
  readonly files: Readonly<Record<string, { readonly mutants: readonly Mutant[] }>>;
}

export interface FileScore {
  readonly file: string;
  readonly killed: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly timeout: number;
  readonly errors: number;
  /** Mutants disabled in the source by a `// Stryker disable` comment with a reason (equivalent, message text): not scored. */
  readonly ignored: number;
  /** (killed + timeout) / (killed + timeout + survived + noCoverage), in percent; undefined without valid mutants. */
  readonly score: number | undefined;
}

export function scoreFile(file: string, mutants: readonly Mutant[]): FileScore {
  const count = (s: Status): number => mutants.filter((m) => m.status === s).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return { file, killed, survived, noCoverage, timeout, errors: count('CompileError') + count('RuntimeError'), ignored: count('Ignored'), score: valid === 0 ? undefined : (100 * (killed + timeout)) / valid };
}

export function scoreTable(report: MutationReport): string {
  const rows = Object.entries(report.files).map(([file, f]) => scoreFile(file, f.mutants)).sort((a, b) => a.file.localeCompare(b.file));
  const all = scoreFile('all files', Object.values(report.files).flatMap((f) => f.mutants));
  const pct = (n: number | undefined): string => (n === undefined ? 'n/a' : `${n.toFixed(1)}%`);
  const line = (r: FileScore): string => `| ${r.file} | ${pct(r.score)} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.errors} | ${r.ignored} |`;
  return ['| file | score | killed | timeout | survived | no coverage | errors | disabled |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows.map(line), line(all)].join('\n');
}

/** A first, mechanical sorting of a surviving mutant; `unclassified` ones need a reader. */
export type SurvivorCategory = 'noCoverage' | 'messageText' | 'unclassified';

export function categoryOf(m: Mutant): SurvivorCategory {
  if (m.status === 'NoCoverage') return 'noCoverage';
  if ((m.mutatorName === 'StringLiteral' || m.mutatorName === 'TemplateLiteral') && (m.replacement === '""' || m.replacement === '``' || m.replacement === '"Stryker was here!"')) return 'messageText';
  return 'unclassified';
}

export function categoryCounts(report: MutationReport): Record<SurvivorCategory, number> {
  const counts: Record<SurvivorCategory, number> = { noCoverage: 0, messageText: 0, unclassified: 0 };
  for (const f of Object.values(report.files)) for (const m of f.mutants) if (m.status === 'Survived' || m.status === 'NoCoverage') counts[categoryOf(m)] += 1;
  return counts;
}

export function survivorList(report: MutationReport): string {
  const out: string[] = [];
  for (const [file, f] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    for (const m of f.mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage').sort((a, b) => a.location.start.line - b.location.start.line)) {
      const tag = { noCoverage: '(no coverage) ', messageText: '(message text) ', unclassified: '' }[categoryOf(m)];
      out.push(`- ${file}:${m.location.start.line} ${tag}${m.mutatorName}: \`${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100)}\``);
    }
  }
  return out.join('\n');
}

export function loadReport(path: string): MutationReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConformanceInputError('BAD_CONFIG', `${path} is not a readable Stryker JSON report (${(e as Error).message.slice(0, 120)}).`, 'run `npm run mutation` first.');
  }
  if (typeof data !== 'object' || data === null || typeof (data as { files?: unknown }).files !== 'object') {
    throw new ConformanceInputError('BAD_CONFIG', `${path} has no "files" object: not a mutation-testing report.`, 'run `npm run mutation` first.');
  }
  return data as MutationReport;
}

/**
 * The full run's report with the files of later per-file runs (`npm run mutation -- <file>`) put in
 * their place: each overlay's files replace the base's entries of the same name. A per-file run
 * runs only the areas that judge its file, so an overlaid file's score is a lower bound of what a
 * full run would give it. Returns the report and, per file, which report it came from.
 */
export function overlayReports(base: MutationReport, overlays: readonly { readonly source: string; readonly report: MutationReport }[]): { readonly report: MutationReport; readonly sources: ReadonlyMap<string, string> } {
  const files: Record<string, { readonly mutants: readonly Mutant[] }> = { ...base.files };
  const sources = new Map<string, string>(Object.keys(base.files).map((f) => [f, 'full run'] as const));
  for (const o of overlays) {
    for (const [file, entry] of Object.entries(o.report.files)) {
      files[file] = entry;
      sources.set(file, o.source);
    }
  }
  return { report: { files }, sources };
}

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i < 0 ? undefined : process.argv[i + 1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv.find((a) => a.endsWith('.json')) ?? 'bench/results/mutation.json';
  const overlayDir = argValue('--overlay');
  let report = loadReport(path);
  if (overlayDir !== undefined) {
    const names = readdirSync(overlayDir).filter((n) => n.endsWith('.json')).sort();
    const combined = overlayReports(report, names.map((n) => ({ source: join(overlayDir, n), report: loadReport(join(overlayDir, n)) })));
    report = combined.report;
    process.stdout.write(`${path} with the per-file runs of ${overlayDir} in place of the files they mutated:\n`);
    for (const [file, source] of [...combined.sources].sort(([a], [b]) => a.localeCompare(b))) process.stdout.write(`- ${file}: ${source}\n`);
    process.stdout.write('\n');
  }
  process.stdout.write(`${scoreTable(report)}\n`);
  const c = categoryCounts(report);
  process.stdout.write(`\nsurvivors and uncovered mutants: ${c.noCoverage} not executed by any area run, ${c.messageText} in message text, ${c.unclassified} other\n`);
  if (process.argv.includes('--survivors')) process.stdout.write(`\n${survivorList(report)}\n`);
}
