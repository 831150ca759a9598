/**
 * Shared-credential races on the real Codex binary, across releases (issue 17 item 4):
 *
 *   npx tsx scripts/real-cli/share-races.ts [--releases 0.80.0,0.105.0,0.117.0,0.156.0,0.171.0]
 *       [--scenarios execRace,appServerRotation,rotateBetween401s] [--runs 2] [--out-dir out/share-races] [--timeout-ms 90000]
 *
 * Installs each release on demand into the cache (src/harness/codex-cli/codex-install.ts), plays
 * each scenario `--runs` times per release inside a fresh loopback-only network namespace
 * (src/harness/codex-cli/share-races/), writes the redacted observations per release
 * (`<out-dir>/<release>.json`) and the tables (`<out-dir>/share-races.md`), and prints the
 * tables. Exit 0 when every release's runs finished (what the binary did is data, not a verdict),
 * 1 when a run did not finish, 2 on bad input. Not part of `npm test`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConformanceInputError, isInputError } from '../../src/errors.js';
import { checkVersion, ensureCodexCli } from '../../src/harness/codex-cli/codex-install.js';
import { RACE_SCENARIO_IDS, type RaceObservation } from '../../src/harness/codex-cli/share-races/race-observation.js';
import { renderRaceTables } from '../../src/harness/codex-cli/share-races/render-races.js';
import { parseCount, parseScenarioList, runRacesInNetns } from '../../src/harness/codex-cli/share-races/share-races-run.js';

const DEFAULT_RELEASES = '0.80.0,0.105.0,0.117.0,0.156.0,0.171.0';

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: {
        releases: { type: 'string', default: DEFAULT_RELEASES },
        scenarios: { type: 'string', default: RACE_SCENARIO_IDS.join(',') },
        runs: { type: 'string', default: '2' },
        'out-dir': { type: 'string', default: 'out/share-races' },
        'timeout-ms': { type: 'string', default: '90000' },
      },
    }).values;
  } catch (e) {
    throw new ConformanceInputError('USAGE', (e as Error).message.replace(/\.?$/, '.'), 'Use --releases, --scenarios, --runs, --out-dir, --timeout-ms (see the header of scripts/real-cli/share-races.ts).');
  }
  const releases = values.releases.split(',').map((r) => r.trim()).filter((r) => r !== '');
  if (releases.length === 0) throw new ConformanceInputError('USAGE', 'No release selected.', 'Pass --releases <v1>,<v2>,... (e.g. 0.171.0).');
  releases.forEach(checkVersion);
  const scenarios = parseScenarioList(values.scenarios);
  const runs = parseCount('--runs', values.runs, 1, 5);
  const timeoutMs = parseCount('--timeout-ms', values['timeout-ms'], 1000, 600_000);
  const outDir = values['out-dir'];
  await mkdir(outDir, { recursive: true });
  const all: RaceObservation[] = [];
  const errors: string[] = [];
  const started = performance.now();
  for (const release of releases) {
    const install = await ensureCodexCli(release, undefined, { announce: (l) => process.stderr.write(`${l}\n`) });
    const t = performance.now();
    const r = await runRacesInNetns({ binaryPath: install.binaryPath, version: release, scenarios, runs, timeoutMs }, (d) => process.stderr.write(d));
    if (r.error !== undefined) errors.push(`${release}: ${r.error}`);
    all.push(...r.observations);
    await writeFile(join(outDir, `${release}.json`), `${JSON.stringify(r.observations, null, 2)}\n`);
    process.stderr.write(`share-races ${release}: ${r.observations.length} observation(s) in ${Math.round((performance.now() - t) / 1000)} s\n`);
  }
  const tables = renderRaceTables(all);
  await writeFile(join(outDir, 'share-races.md'), tables);
  process.stdout.write(tables);
  process.stderr.write(`share-races: ${all.length} observation(s), ${releases.length} release(s), ${Math.round((performance.now() - started) / 1000)} s${errors.length > 0 ? `; not finished: ${errors.join(' | ')}` : ''}\n`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (isInputError(e)) {
      process.stderr.write(`share-races: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`share-races: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(3);
  },
);
