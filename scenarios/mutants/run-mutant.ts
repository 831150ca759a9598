import type { Implementation } from '../../src/harness/implementation.js';
import { inProcessMockControl } from '../../src/harness/in-process-mock-control.js';
import { groupByRule, ruleVerdict, type CaseResult, type RunReport } from '../../src/harness/results.js';
import { runConformance } from '../../src/harness/runner.js';
import { ALL_SUITES } from '../../src/harness/suites/index.js';
import type { ProfileId } from '../../src/rules/profiles.js';
import type { Verdict } from '../../src/rules/rule.js';

export interface RuleRun {
  readonly report: RunReport;
  /** The verdict of each selected rule over its cases. */
  verdictOf(ruleId: string): Verdict;
  /** The first failing (or erroring) case of a rule, with its counterexample. */
  firstFailure(ruleId: string): CaseResult | undefined;
}

/**
 * Runs the suites against one in-process implementation (the reference or a mutant) on a fresh
 * in-process mock, selecting only `rules` (ids or prefixes). Used by specs/mutants.spec.ts and
 * bench/mutants.ts.
 */
export async function runRules(implementation: Implementation, rules: readonly string[], opts: { readonly seed: number; readonly runs: number; readonly profile?: ProfileId }): Promise<RuleRun> {
  const mock = await inProcessMockControl(opts.seed);
  let report: RunReport;
  try {
    report = await runConformance({ implementation, mock, suites: ALL_SUITES, rulePrefixes: rules, seed: opts.seed, runs: opts.runs, implArg: implementation.name, ...(opts.profile !== undefined ? { profile: opts.profile } : {}) });
  } finally {
    await mock.close();
  }
  const byRule = groupByRule(report.cases);
  return {
    report,
    verdictOf: (ruleId) => ruleVerdict(byRule.get(ruleId) ?? []),
    firstFailure: (ruleId) => (byRule.get(ruleId) ?? []).find((c) => c.verdict === 'fail' || c.verdict === 'error'),
  };
}
