/**
 * Renders saved race observations (the `<release>.json` files share-races.ts writes) as the
 * Markdown tables of docs/shared-credentials-observed.md, without running anything:
 *
 *   npx tsx scripts/real-cli/share-races-tables.ts out/share-races/0.80.0.json out/share-races/0.171.0.json ...
 *
 * Exit 2 when a file cannot be read or is not a list of observations.
 */
import { readFile } from 'node:fs/promises';
import { ConformanceInputError, isInputError } from '../../src/errors.js';
import type { RaceObservation } from '../../src/harness/codex-cli/share-races/race-observation.js';
import { renderRaceTables } from '../../src/harness/codex-cli/share-races/render-races.js';

async function main(): Promise<number> {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new ConformanceInputError('USAGE', 'No observation file given.', 'Pass one or more <release>.json files written by scripts/real-cli/share-races.ts.');
  const all: RaceObservation[] = [];
  for (const f of files) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(f, 'utf8'));
    } catch (e) {
      throw new ConformanceInputError('USAGE', `${f} cannot be read as JSON.`, 'Pass the <release>.json files share-races.ts wrote.', { cause: e });
    }
    if (!Array.isArray(value) || !value.every((o) => typeof o === 'object' && o !== null && 'scenario' in o && 'phases' in o)) {
      throw new ConformanceInputError('USAGE', `${f} is not a list of race observations.`, 'Pass the <release>.json files share-races.ts wrote.');
    }
    all.push(...(value as RaceObservation[]));
  }
  process.stdout.write(renderRaceTables(all));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`share-races-tables: ${isInputError(e) ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    process.exit(isInputError(e) ? 2 : 3);
  },
);
