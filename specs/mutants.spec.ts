import { beforeAll, describe, expect, it } from 'vitest';
import { MUTANTS, mutantImplementation } from '../scenarios/mutants/index.js';
import { runRules, type RuleRun } from '../scenarios/mutants/run-mutant.js';
import { referenceImplementation } from '../src/harness/reference-implementation.js';
import { ruleById } from '../src/rules/catalogue.js';

/**
 * Mutation check of the suites themselves: every buggy variant in scenarios/mutants/ must be caught
 * by the rule it claims to break, while the reference passes that rule on the same seed. `RUNS`
 * covers the requests suite's canonical examples (every callsite × four auth modes) and a few
 * generated cases more.
 */
const SEED = Number(process.env['MUTANTS_SEED'] ?? 20261128);
const RUNS = Number(process.env['MUTANTS_RUNS'] ?? 40);

describe('mutants: every buggy variant is caught by its rule', () => {
  let reference: RuleRun;
  const rules = [...new Set(MUTANTS.map((m) => m.breaks))];

  beforeAll(async () => {
    reference = await runRules(referenceImplementation(), rules, { seed: SEED, runs: RUNS });
  });

  it('every mutant names a catalogued rule and a unique name', () => {
    for (const m of MUTANTS) expect(ruleById(m.breaks), `${m.name} breaks unknown rule ${m.breaks}`).toBeDefined();
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
  });

  for (const mutant of MUTANTS) {
    it(`${mutant.breaks} catches mutant ${mutant.name}`, async () => {
      expect(reference.verdictOf(mutant.breaks), `the reference must pass ${mutant.breaks} on seed ${SEED}`).toBe('pass');
      const run = await runRules(mutantImplementation(mutant.name), [mutant.breaks], { seed: SEED, runs: RUNS });
      const verdict = run.verdictOf(mutant.breaks);
      expect(verdict, `${mutant.breaks} ${verdict} on mutant:${mutant.name} (seed ${SEED}); the suites no longer catch: ${mutant.description}`).toBe('fail');
      const failure = run.firstFailure(mutant.breaks);
      expect(failure?.counterexample, 'a property failure carries its shrunk counterexample').toBeDefined();
      expect(failure?.replay?.command).toContain(`--impl mutant:${mutant.name}`);
      expect(failure?.casesToFailure).toBeGreaterThanOrEqual(1);
    });
  }
});
