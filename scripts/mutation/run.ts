/**
 * `npm run mutation [-- <file>... [--force]]`.
 *
 * Without files: the full run (stryker.config.json: every mutated file, every area under both
 * profiles), its report in bench/results/mutation.json, then the score table.
 *
 * With files (each one of the config's `mutate` list): one Stryker run per file, incremental and
 * narrowed so survivors can be killed in a loop (issue 20 item 6):
 * - only the conformance areas whose rules judge what the file does run (AREAS_BY_FILE, handed to
 *   specs/mutation/areas.mutation.ts as MUTATION_AREAS), so a per-file score is at most the full
 *   run's score for the same suites;
 * - the file's own incremental file (.cache/stryker/per-file/<slug>.incremental.json) keeps the
 *   killed mutants; survived and uncovered ones are dropped from it before each run, so they are
 *   tested again against the suites as they are now (Stryker's incremental mode compares the
 *   test file's text, not the suites it imports, and would otherwise keep a survivor for ever).
 *   A killed mutant stays killed as long as cases are only added; `--force` re-tests everything;
 * - its report goes to .cache/stryker/per-file/<slug>.json (bench/results/mutation.json stays the
 *   full run's record), and the file's score and survivors are printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../src/errors.js';
import type { RuleArea } from '../../src/rules/rule.js';
import { categoryCounts, loadReport, scoreTable, survivorList, type MutationReport } from './table.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PER_FILE_DIR = '.cache/stryker/per-file';

/**
 * The areas whose rules judge each mutated file: the areas whose runs killed its mutants in the
 * full run of 2026-11-30 (bench/results/mutation.json, `killedBy`), widened by the area each new
 * suite case for the file belongs to.
 */
export const AREAS_BY_FILE: Readonly<Record<string, readonly RuleArea[]>> = {
  'src/auth/auth-provider-for.ts': ['HDR', 'GATE', 'AGENT'],
  'src/auth/auth-getters.ts': ['HDR', 'GATE', 'URL', 'CACHE'],
  'src/callsites/gates.ts': ['HDR', 'GATE', 'URL'],
  'src/urls/derived-urls.ts': ['HDR', 'GATE', 'URL', 'AGENT', 'CACHE', 'REFRESH'],
  'src/urls/normalize-chatgpt-base-url.ts': ['HDR', 'GATE', 'URL', 'AGENT'],
  'src/urls/path-style.ts': ['URL', 'HDR'],
  'src/cache/apps-tools-cache.ts': ['CACHE', 'HDR'],
  'src/auth/agent-identity/agent-assertion.ts': ['HDR', 'AGENT'],
  'src/auth/agent-identity/task-registration.ts': ['HDR', 'AGENT'],
  'src/auth/agent-identity/identity-jwt.ts': ['HDR', 'AGENT'],
};

export function slugOf(file: string): string {
  return file.replace(/^src\//, '').replace(/\.ts$/, '').replace(/[^A-Za-z0-9]+/g, '-');
}

/** Parses `[<file>...] [--force]`; a file outside the mutated set is a usage error (exit 2). */
export function parseMutationArgs(argv: readonly string[], mutated: readonly string[]): { files: string[]; force: boolean } {
  const files: string[] = [];
  let force = false;
  for (const arg of argv) {
    if (arg === '--force') force = true;
    else if (arg.startsWith('-')) throw new ConformanceInputError('USAGE', `unknown flag ${JSON.stringify(arg.slice(0, 40))}.`, 'usage: npm run mutation [-- <file>... [--force]]');
    else {
      const file = arg.replace(/^\.\//, '');
      if (!mutated.includes(file)) throw new ConformanceInputError('USAGE', `${JSON.stringify(file.slice(0, 120))} is not a mutated file.`, `pass one of: ${mutated.join(', ')}.`);
      if (AREAS_BY_FILE[file] === undefined) throw new ConformanceInputError('BAD_CONFIG', `${file} is mutated but has no areas in scripts/mutation/run.ts.`, 'add it to AREAS_BY_FILE.');
      files.push(file);
    }
  }
  return { files, force };
}

/** Drops the survived and uncovered mutants of an incremental report, so the next run tests them again. */
export function withoutSurvivors(report: MutationReport): MutationReport {
  const files = Object.fromEntries(
    Object.entries(report.files).map(([file, f]) => [file, { ...f, mutants: f.mutants.filter((m) => m.status !== 'Survived' && m.status !== 'NoCoverage') }]),
  );
  return { ...report, files };
}

function stryker(configPath: string, env: NodeJS.ProcessEnv, force: boolean): number {
  const args = ['stryker', 'run', configPath, ...(force ? ['--force'] : [])];
  const r = spawnSync('npx', args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CONFORMANCE_RUNS: '10', ...env } });
  return r.status ?? 1;
}

function runFile(file: string, force: boolean, base: Record<string, unknown>): number {
  const slug = slugOf(file);
  mkdirSync(join(ROOT, PER_FILE_DIR), { recursive: true });
  const incremental = `${PER_FILE_DIR}/${slug}.incremental.json`;
  const reportPath = `${PER_FILE_DIR}/${slug}.json`;
  if (!force && existsSync(join(ROOT, incremental))) {
    writeFileSync(join(ROOT, incremental), JSON.stringify(withoutSurvivors(loadReport(join(ROOT, incremental)))));
  }
  const config = {
    ...base,
    mutate: [file],
    incrementalFile: incremental,
    tempDirName: `${PER_FILE_DIR}/tmp-${slug}`,
    reporters: ['json', 'progress'],
    jsonReporter: { fileName: reportPath },
  };
  const configPath = `${PER_FILE_DIR}/${slug}.stryker.json`;
  writeFileSync(join(ROOT, configPath), JSON.stringify(config, null, 2));
  const areas = AREAS_BY_FILE[file] ?? [];
  const started = performance.now();
  const status = stryker(configPath, { MUTATION_AREAS: areas.join(',') }, force);
  const seconds = Math.round((performance.now() - started) / 1000);
  if (status !== 0) return status;
  const report = loadReport(join(ROOT, reportPath));
  const c = categoryCounts(report);
  process.stdout.write(`\n${file} (areas ${areas.join(', ')}; ${seconds} s)\n${scoreTable(report)}\n\nsurvivors and uncovered: ${c.noCoverage} not executed, ${c.messageText} message text, ${c.unclassified} other\n${survivorList(report)}\n`);
  return 0;
}

function main(argv: readonly string[]): number {
  const base = JSON.parse(readFileSync(join(ROOT, 'stryker.config.json'), 'utf8')) as Record<string, unknown> & { mutate: string[] };
  const { files, force } = parseMutationArgs(argv, base.mutate);
  if (files.length === 0) {
    const status = stryker('stryker.config.json', {}, force);
    if (status !== 0) return status;
    process.stdout.write(`${scoreTable(loadReport(join(ROOT, 'bench/results/mutation.json')))}\n`);
    return 0;
  }
  for (const file of files) {
    const status = runFile(file, force, base);
    if (status !== 0) return status;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ConformanceInputError) {
      process.stderr.write(`error [${e.code}]: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      throw e;
    }
  }
}
