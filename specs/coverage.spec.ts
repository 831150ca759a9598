import { describe, expect, it } from 'vitest';
import { inProcessMockControl } from '../src/harness/in-process-mock-control.js';
import { parseExpectationFile } from '../src/harness/expectation-file.js';
import type { Implementation } from '../src/harness/implementation.js';
import { referenceImplementation } from '../src/harness/reference-implementation.js';
import { groupByRule, ruleVerdict, type RunReport } from '../src/harness/results.js';
import { runConformance } from '../src/harness/runner.js';
import { ALL_SUITES } from '../src/harness/suites/index.js';
import { ruleIdsInProfile } from '../src/rules/catalogue.js';
import { DEFAULT_PROFILE, PROFILE_IDS, type ProfileId } from '../src/rules/profiles.js';

/**
 * Runs that can pass honestly: every rule has hand-picked examples, so even `--runs 1` reaches it
 * ("not reached" then means a real gap); a rule needing a capability the implementation does not
 * declare is `unsupported`, which does not make the run partial and belongs in its expectation file.
 */
async function run(implementation: Implementation, opts: { runs: number; rules?: string[]; expect?: string; profile?: ProfileId } = { runs: 1 }): Promise<RunReport> {
  const mock = await inProcessMockControl(3);
  try {
    return await runConformance({
      implementation,
      mock,
      suites: ALL_SUITES,
      seed: 3,
      runs: opts.runs,
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
      ...(opts.rules !== undefined ? { rulePrefixes: opts.rules } : {}),
      ...(opts.expect !== undefined ? { expectations: parseExpectationFile(opts.expect, 'expect.json') } : {}),
    });
  } finally {
    await mock.close();
  }
}

/** The reference with fewer declared capabilities (as a driver would declare them at `start`). */
function withoutIntrospection(): Implementation {
  const ref = referenceImplementation({}, 'reference-without-introspection', DEFAULT_PROFILE);
  return { ...ref, name: ref.name, version: ref.version, capabilities: { ...ref.capabilities, introspect: ['authMode'] }, start: () => ref.start() };
}

describe('every selected rule gets a case at default settings', () => {
  for (const profile of PROFILE_IDS) {
    it(`with one generated case per property, the examples reach and pass every rule of profile ${profile}`, async () => {
      const report = await run(referenceImplementation({}, 'reference', profile), { runs: 1, profile });
      expect(report.footer.rulesNotReached).toEqual([]);
      const byRule = groupByRule(report.cases);
      expect([...byRule.keys()].sort()).toEqual(ruleIdsInProfile(profile).slice().sort());
      expect([...byRule].filter(([, cases]) => ruleVerdict(cases) !== 'pass').map(([id]) => id)).toEqual([]);
      expect(report.footer.ok).toBe(true);
    }, 120_000);
  }
});

describe('unsupported: a declared lack of capability', () => {
  it('REFRESH.ERROR.001 and CACHE.KEY.* are unsupported without introspection, and the run is still OK', async () => {
    const report = await run(withoutIntrospection(), { runs: 1, rules: ['REFRESH.ERROR', 'CACHE.KEY', 'CACHE.SWITCH.001'] });
    const verdicts = Object.fromEntries([...groupByRule(report.cases)].map(([id, cases]) => [id, ruleVerdict(cases)]));
    expect(verdicts).toEqual({ 'REFRESH.ERROR.001': 'unsupported', 'REFRESH.ERROR.002': 'pass', 'REFRESH.ERROR.003': 'pass', 'CACHE.KEY.001': 'unsupported', 'CACHE.KEY.002': 'unsupported', 'CACHE.SWITCH.001': 'pass' });
    expect(report.footer.rules.unsupported).toBe(3);
    expect(report.footer.ok).toBe(true);
  }, 120_000);

  it('with an expectation file, an unsupported rule it does not list is an error; a listed rule that was judged is stale', async () => {
    const listed = JSON.stringify({ knownFailures: [], unsupported: [{ rule: 'REFRESH.ERROR.001', reason: 'no lastRefreshFailure introspection' }] });
    const ok = await run(withoutIntrospection(), { runs: 1, rules: ['REFRESH.ERROR'], expect: listed });
    expect(ok.footer.ok).toBe(true);
    const unlisted = await run(withoutIntrospection(), { runs: 1, rules: ['REFRESH.ERROR'], expect: JSON.stringify({ knownFailures: [] }) });
    expect(unlisted.footer.ok).toBe(false);
    expect(unlisted.cases.find((c) => c.caseId === 'expectations')?.message).toMatch(/REFRESH\.ERROR\.001 is unsupported by this implementation .* but the expectation file does not say so/);
    const stale = await run(referenceImplementation(), { runs: 1, rules: ['REFRESH.ERROR'], expect: listed });
    expect(stale.footer.ok).toBe(false);
    expect(stale.cases.find((c) => c.caseId === 'expectations')?.message).toMatch(/listed as unsupported .* but was judged \(pass\)/);
  }, 120_000);
});
