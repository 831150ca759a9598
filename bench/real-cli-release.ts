/**
 * Wall time of the full black-box run of one or more published codex releases (binary cached),
 * median of N rounds per release, with the load average after each round and the number of rules
 * exercised (pass or fail). (CPU time of the process tree: run it under `/usr/bin/time -f '%U %S'`.) Standalone (it needs the network namespace and the cached
 * binaries, so `npm run bench` does not include it). Not a test: the figures depend on the
 * machine and on what else runs on it; the load average is printed with each round.
 *
 *   CODEX_AUTH_CONFORMANCE_CACHE=/srv/codex-cache npx tsx bench/real-cli-release.ts [--rounds 3] 0.171.0 [0.156.0 ...]
 */
import { loadavg } from 'node:os';
import { codexCliImplementation } from '../src/harness/codex-cli/codex-cli-implementation.js';
import { suitesFor } from '../src/harness/codex-cli/select-codex-cli.js';
import { inProcessMockControl } from '../src/harness/in-process-mock-control.js';
import { groupByRule, ruleVerdict } from '../src/harness/results.js';
import { runConformance } from '../src/harness/runner.js';
import { median } from './stats.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt === -1 ? 3 : Number(args[roundsAt + 1]);
const versions = args.filter((a, i) => !a.startsWith('--') && i !== roundsAt + 1);
if (versions.length === 0 || !Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write('usage: npx tsx bench/real-cli-release.ts [--rounds N] <version> [...]\n');
  process.exit(2);
}
const mock = await inProcessMockControl(1);
console.log('| release | median wall | rounds (wall / 1-min load average after it) | rules exercised |');
console.log('| --- | --- | --- | --- |');
for (const version of versions) {
  const walls: number[] = [];
  const notes: string[] = [];
  let exercised = 0;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    const report = await runConformance({ implementation: codexCliImplementation(version), mock, suites: suitesFor(`codex-cli:${version}`), rulePrefixes: [], seed: 1, runs: 1, implArg: `codex-cli:${version}` });
    const wall = (performance.now() - started) / 1000;
    walls.push(wall);
    exercised = [...groupByRule(report.cases).values()].filter((c) => ['pass', 'fail'].includes(ruleVerdict(c))).length;
    notes.push(`${wall.toFixed(1)} s / ${loadavg()[0]!.toFixed(1)}`);
  }
  console.log(`| ${version} | ${median(walls).toFixed(1)} s | ${notes.join('; ')} | ${exercised} |`);
}
await mock.close();
