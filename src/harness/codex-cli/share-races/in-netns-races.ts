/**
 * Entry of the race runner re-executed inside the run's network namespace (share-races-run.ts).
 * It refuses to do anything unless it is isolated (isolation-guard.ts), then plays the selected
 * races against one release and prints one prefixed JSON line per (redacted) observation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConformanceInputError } from '../../../errors.js';
import { assertIsolated } from '../../isolation/isolation-guard.js';
import { playRace } from './race-plays.js';
import { parseRaceInnerArgs, RACE_LINE_PREFIX } from './share-races-run.js';

async function main(): Promise<number> {
  const args = parseRaceInnerArgs(process.argv.slice(2));
  await assertIsolated();
  const workDir = await mkdtemp(join(tmpdir(), 'share-races-'));
  try {
    for (const scenario of args.scenarios) {
      for (let run = 1; run <= args.runs; run++) {
        const o = await playRace(scenario, { binaryPath: args.binaryPath, version: args.version, workDir: join(workDir, `${scenario}-${run}`), timeoutMs: args.timeoutMs, run });
        process.stderr.write(`share-races ${args.version} ${scenario} run ${run}: ${o.durationMs} ms${o.problems.length > 0 ? ` (${o.problems.join('; ')})` : ''}\n`);
        process.stdout.write(`${RACE_LINE_PREFIX.observation}${JSON.stringify(o)}\n`);
      }
    }
    process.stdout.write(`${RACE_LINE_PREFIX.done}\n`);
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`in-netns-races: ${e instanceof ConformanceInputError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
