import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ConformanceInputError } from '../../errors.js';
import { readFileSync } from 'node:fs';
import { isBugFile, loadBugCorpus, loadBugFile } from '../../harness/bugs/bug.js';
import { corpusTable, runCorpus } from '../../harness/bugs/corpus.js';
import { describeBugRun, runBug, type Against } from '../../harness/bugs/run-bug.js';
import { stopAfterValidation, type CommandIo } from '../command.js';

/** A positional that names a bug entry: under scenarios/bugs/, or a JSON file saying `"format": "bug/v1"`. */
export function isBugPath(path: string | undefined): boolean {
  if (path === undefined) return false;
  if (/(^|\/)scenarios\/bugs\/[^/]+\.json$/.test(path)) return true;
  try {
    return isBugFile(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return false; // not readable as JSON here: the regression loader reports it
  }
}

interface BugFlags {
  readonly impl?: string | undefined;
  readonly reporter?: string[] | undefined;
  readonly output?: string | undefined;
  readonly 'allow-network'?: boolean | undefined;
  readonly against?: string | undefined;
  readonly corpus?: string | undefined;
  readonly table?: string | undefined;
}

/**
 * `repro scenarios/bugs/<id>.json [--against affected|fixed]`: runs only the entry's rules and
 * exits as the run does (1: a rule failed, 0: none did); the line on stdout says REPRODUCED (every
 * expected rule failed), NOT REPRODUCED, FIX HOLDS or FIX DOES NOT HOLD.
 * `repro --corpus DIR [--table FILE]`: every entry (and every known fix); exit 0 when all hold.
 */
export async function reproBugs(values: BugFlags, file: string | undefined, io: CommandIo): Promise<number> {
  for (const flag of ['impl', 'reporter', 'output'] as const) {
    if (values[flag] !== undefined) throw new ConformanceInputError('USAGE', `--${flag} does not go with a bug entry: the entry names its implementations.`, 'drop it; pass --against fixed to run the fixed implementation.');
  }
  const allowNetwork = values['allow-network'] === true;
  if (values.corpus !== undefined) {
    if (file !== undefined) throw new ConformanceInputError('USAGE', '--corpus runs a whole directory; a file was also given.', 'pass either scenarios/bugs/<id>.json or --corpus scenarios/bugs.');
    if (values.against !== undefined) throw new ConformanceInputError('USAGE', '--against goes with one bug file; --corpus runs every entry on its affected and its fixed implementation.', 'drop --against.');
    const bugs = loadBugCorpus(isAbsolute(values.corpus) ? values.corpus : join(io.cwd, values.corpus));
    if (stopAfterValidation(io)) return 0;
    const run = await runCorpus(bugs, { allowNetwork, onLine: (l) => io.err(l) });
    const table = corpusTable(run);
    io.out(table);
    if (values.table !== undefined) await writeFile(isAbsolute(values.table) ? values.table : join(io.cwd, values.table), `${table}\n`);
    return run.ok ? 0 : 1;
  }
  if (values.table !== undefined) throw new ConformanceInputError('USAGE', '--table goes with --corpus.', 'pass --corpus scenarios/bugs --table FILE.');
  const against = (values.against ?? 'affected') as Against;
  if (against !== 'affected' && against !== 'fixed') throw new ConformanceInputError('USAGE', `--against must be affected or fixed, got ${JSON.stringify(String(values.against).slice(0, 40))}.`, 'pass --against fixed to run the fixed implementation (default: affected).');
  const bug = loadBugFile(isAbsolute(file!) ? file! : join(io.cwd, file!));
  if (against === 'fixed' && bug.fixed === undefined) throw new ConformanceInputError('USAGE', `${bug.id} names no fixed implementation.`, 'drop --against fixed (the corpus knows no fix for this entry).');
  if (stopAfterValidation(io)) return 0;
  io.err(`${bug.id}: ${bug.symptom}\n  must fail ${bug.rules.join(', ')}; running on ${(against === 'affected' ? bug.affects : bug.fixed!).implementation.arg}`);
  const run = await runBug(bug, against, { allowNetwork });
  io.out(describeBugRun(run));
  // The exit code is the run's (1: a selected rule failed); whether that is the bug is the line above.
  return run.report.footer.ok ? 0 : 1;
}
