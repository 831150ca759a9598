import { beforeAll, describe, expect, it } from 'vitest';
import { MUTANTS, mutantImplementation } from '../scenarios/mutants/index.js';
import { mutantTargets } from '../scenarios/mutants/mutant.js';
import { runRules, type RuleRun } from '../scenarios/mutants/run-mutant.js';
import { main } from '../src/cli/main.js';
import { referenceImplementation } from '../src/harness/reference-implementation.js';
import { parseResultsNdjson } from '../src/harness/results.js';
import { shellWords } from '../src/harness/shell-words.js';
import { ruleById } from '../src/rules/catalogue.js';
import { PROFILE_IDS, type ProfileId } from '../src/rules/profiles.js';

function sameFailure(message: string): string {
  return message.replace(/[0-9a-f]{8,}/g, '<id>').replace(/#\d+/g, '#<seq>');
}

/** Runs a printed replay command through the CLI (json reporter) and returns its exit code and results. */
async function runPrinted(command: string) {
  const words = shellWords(command);
  expect(words.slice(0, 3), 'a replay command starts with `npx codex-auth-conformance run`').toEqual(['npx', 'codex-auth-conformance', 'run']);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...words.slice(2), '--reporter', 'json'], { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd: process.cwd() });
  return { code, err: err.join('\n'), report: code === 0 || code === 1 ? parseResultsNdjson(out.join('\n'), 'replay') : undefined };
}

/**
 * Mutation check of the suites themselves: every buggy variant in scenarios/mutants/ must be
 * caught, under each profile it applies to, by the rule it claims to break there, while the
 * reference (behaving as that profile) passes that rule on the same seed. `RUNS` covers the
 * requests suite's canonical examples and a few generated cases more.
 */
const SEED = Number(process.env['MUTANTS_SEED'] ?? 20261128);
const RUNS = Number(process.env['MUTANTS_RUNS'] ?? 40);

describe('mutants: every buggy variant is caught by its rule, per profile', () => {
  const reference = new Map<ProfileId, RuleRun>();

  beforeAll(async () => {
    for (const profile of PROFILE_IDS) {
      const rules = [...new Set(MUTANTS.flatMap((m) => mutantTargets(m).filter((t) => t.profile === profile).map((t) => t.rule)))];
      reference.set(profile, await runRules(referenceImplementation({}, 'reference', profile), rules, { seed: SEED, runs: RUNS, profile }));
    }
  }, 600_000);

  it('every mutant names catalogued rules of the profiles it applies to, and a unique name', () => {
    for (const m of MUTANTS) {
      expect(mutantTargets(m).length, `${m.name} applies to no profile`).toBeGreaterThan(0);
      for (const t of mutantTargets(m)) expect(ruleById(t.rule)?.profiles, `${m.name} breaks ${t.rule}, not a rule of ${t.profile}`).toContain(t.profile);
    }
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
  });

  for (const mutant of MUTANTS) {
    for (const { profile, rule } of mutantTargets(mutant)) {
      it(`${rule} catches mutant ${mutant.name} under ${profile}`, async () => {
        expect(reference.get(profile)!.verdictOf(rule), `the reference must pass ${rule} under ${profile} on seed ${SEED}`).toBe('pass');
        const run = await runRules(mutantImplementation(mutant.name, profile), [rule], { seed: SEED, runs: RUNS, profile });
        const verdict = run.verdictOf(rule);
        expect(verdict, `${rule} ${verdict} on mutant:${mutant.name} under ${profile} (seed ${SEED}); the suites no longer catch: ${mutant.description}`).toBe('fail');
        const failure = run.firstFailure(rule);
        expect(failure?.counterexample, 'a property failure carries its shrunk counterexample').toBeDefined();
        expect(failure?.replay?.command).toContain(`--impl mutant:${mutant.name}`);
        expect(failure?.replay?.command).toContain(`--profile ${profile}`);
        expect(failure?.casesToFailure).toBeGreaterThanOrEqual(1);

        // The printed replay re-runs exactly that case: same rule, same counterexample, same verdict.
        const replay = await runPrinted(failure!.replay!.command);
        expect(replay.code, `replay exited ${replay.code}: ${replay.err}`).toBe(1);
        const again = replay.report!.cases.find((c) => c.ruleId === rule && c.verdict === failure!.verdict);
        expect(again, `the replay of ${failure!.replay!.command} did not ${failure!.verdict} ${rule}`).toBeDefined();
        expect(again!.counterexample).toBe(failure!.counterexample);
        // Credentials, runtime ids and journal sequence numbers are minted afresh; the rest is the same.
        expect(sameFailure(again!.message)).toBe(sameFailure(failure!.message));
        expect(sameFailure(again!.expected ?? '')).toBe(sameFailure(failure!.expected ?? ''));
        expect(replay.report!.header.rulesSelected).toEqual([rule]);
      });
    }
  }
});
