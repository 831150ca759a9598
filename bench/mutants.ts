/**
 * How quickly the suites catch each mutant: for several seeds, the generated cases fast-check
 * ran up to the first failure of the mutant's `breaks` rule (CaseResult.casesToFailure, which
 * counts the suite's canonical examples too) and the length of the shrunk counterexample.
 *
 *   npx tsx bench/mutants.ts [--seeds N] [--runs N]
 *
 * Writes bench/results/mutants.json and prints a markdown table.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mutantTargets } from '../scenarios/mutants/mutant.js';
import { MUTANTS, mutantImplementation } from '../scenarios/mutants/index.js';
import { runRules } from '../scenarios/mutants/run-mutant.js';

interface SeedResult {
  readonly seed: number;
  readonly verdict: string;
  readonly casesToFailure: number | null;
  readonly counterexampleChars: number | null;
  readonly counterexample: string | null;
  readonly durationMs: number;
}

interface MutantResult {
  readonly mutant: string;
  readonly profile: string;
  readonly rule: string;
  readonly caught: number;
  readonly seeds: readonly SeedResult[];
}

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '5' }, runs: { type: 'string', default: '100' } } });
const seedCount = Number(values.seeds);
const runs = Number(values.runs);
if (!Number.isInteger(seedCount) || seedCount < 1 || !Number.isInteger(runs) || runs < 1) {
  throw new TypeError('bench/mutants.ts: --seeds and --runs take positive integers, e.g. --seeds 5 --runs 100');
}
const seeds = Array.from({ length: seedCount }, (_, i) => 1000 + i * 7919);

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const results: MutantResult[] = [];
for (const mutant of MUTANTS) for (const { profile, rule } of mutantTargets(mutant)) {
  const perSeed: SeedResult[] = [];
  for (const seed of seeds) {
    const t0 = performance.now();
    const run = await runRules(mutantImplementation(mutant.name, profile), [rule], { seed, runs, profile });
    const failure = run.firstFailure(rule);
    perSeed.push({
      seed,
      verdict: run.verdictOf(rule),
      casesToFailure: failure?.casesToFailure ?? null,
      counterexampleChars: failure?.counterexample?.length ?? null,
      counterexample: failure?.counterexample ?? null,
      durationMs: Math.round(performance.now() - t0),
    });
  }
  results.push({ mutant: mutant.name, profile, rule, caught: perSeed.filter((s) => s.verdict === 'fail').length, seeds: perSeed });
}

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'results', 'mutants.json');
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify({ generatedAt: new Date().toISOString(), runs, seeds, results }, null, 2)}\n`);

const fmt = (x: number | null): string => (x === null ? '–' : String(x));
const lines = [
  `| mutant | rule | caught | cases to failure (median / max) | counterexample chars (median) | ms (median) |`,
  `| --- | --- | --- | --- | --- | --- |`,
  ...results.map((r) => {
    const cases = r.seeds.flatMap((s) => (s.casesToFailure === null ? [] : [s.casesToFailure]));
    const chars = r.seeds.flatMap((s) => (s.counterexampleChars === null ? [] : [s.counterexampleChars]));
    const ms = r.seeds.map((s) => s.durationMs);
    return `| ${r.mutant} | ${r.rule} | ${r.caught}/${r.seeds.length} | ${fmt(median(cases))} / ${fmt(cases.length === 0 ? null : Math.max(...cases))} | ${fmt(median(chars))} | ${fmt(median(ms))} |`;
  }),
];
console.log(lines.join('\n'));
console.log(`\n${runs} runs per property, seeds ${seeds.join(', ')}; wrote ${out}`);
