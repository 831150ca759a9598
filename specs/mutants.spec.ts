import { beforeAll, describe, expect, it } from 'vitest';
import { MUTANTS, mutantImplementation } from '../scenarios/mutants/index.js';
import { runRules, type RuleRun } from '../scenarios/mutants/run-mutant.js';
import { main } from '../src/cli/main.js';
import { referenceImplementation } from '../src/harness/reference-implementation.js';
import { parseResultsNdjson } from '../src/harness/results.js';
import { shellWords } from '../src/harness/shell-words.js';
import { ruleById } from '../src/rules/catalogue.js';

function sameFailure(message: string): string {
  return message.replace(/[0-9a-f]{8,}/g, '<id>').replace(/#\d+/g, '#<seq>');
}

/** Runs a printed replay command through the CLI (json reporter) and returns its exit code and results. */
async function runPrinted(command: string) {
  const words = shellWords(command);
  expect(words.slice(0, 2), 'a replay command starts with `codex-auth-conformance run`').toEqual(['codex-auth-conformance', 'run']);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...words.slice(1), '--reporter', 'json'], { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd: process.cwd() });
  return { code, err: err.join('\n'), report: code === 0 || code === 1 ? parseResultsNdjson(out.join('\n'), 'replay') : undefined };
}

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
  }, 120_000);

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

      // The printed replay re-runs exactly that case: same rule, same counterexample, same verdict.
      const replay = await runPrinted(failure!.replay!.command);
      expect(replay.code, `replay exited ${replay.code}: ${replay.err}`).toBe(1);
      const again = replay.report!.cases.find((c) => c.ruleId === mutant.breaks && c.verdict === failure!.verdict);
      expect(again, `the replay of ${failure!.replay!.command} did not ${failure!.verdict} ${mutant.breaks}`).toBeDefined();
      expect(again!.counterexample).toBe(failure!.counterexample);
      // Credentials, runtime ids and journal sequence numbers are minted afresh; the rest is the same.
      expect(sameFailure(again!.message)).toBe(sameFailure(failure!.message));
      expect(sameFailure(again!.expected ?? "")).toBe(sameFailure(failure!.expected ?? ""));
      expect(replay.report!.header.rulesSelected).toEqual([mutant.breaks]);
    });
  }
});
