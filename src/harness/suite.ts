import type { ProfileId } from '../rules/profiles.js';
import type { RuleResult } from '../rules/result.js';
import type { Implementation } from './implementation.js';
import type { MockControl } from './mock-control.js';
import type { CaseResult } from './results.js';

/** Everything a suite needs to run against one implementation. */
export interface SuiteContext {
  readonly implementation: Implementation;
  readonly mock: MockControl;
  readonly seed: number;
  /** Generated cases per property. */
  readonly runs: number;
  /** fast-check replay path of a saved failure (only with one selected suite). */
  readonly path?: string;
  /** Scratch directory; each case gets its own CODEX_HOME below it. */
  readonly scratch: string;
  /** The CLI words that select this implementation, for replay commands. */
  readonly implArg: string;
  /** The contract profile being judged: expectations and scenarios follow it. */
  readonly profile: ProfileId;
}

/**
 * A suite judges a fixed set of rules, over every profile (each rule belongs to exactly one
 * suite, so a replay command that names a rule selects one suite and one property); the runner
 * keeps the results of the rules of the profile being judged.
 */
export interface Suite {
  readonly id: string;
  readonly title: string;
  readonly rules: readonly string[];
  run(ctx: SuiteContext): Promise<CaseResult[]>;
}

/** Converts checker results to case results, keeping only the suite's own rules. */
export function toCaseResults(
  suite: Pick<Suite, 'rules'>,
  caseId: string,
  results: readonly RuleResult[],
  durationMs: number,
): CaseResult[] {
  const own = new Set(suite.rules);
  // A harness error (rule '*') stops every rule of the suite from being judged on this case.
  const expanded = results.flatMap((r) => (r.ruleId === '*' ? suite.rules.map((ruleId) => ({ ...r, ruleId })) : [r]));
  return expanded
    .filter((r) => own.has(r.ruleId))
    .map((r) => ({
      type: 'case' as const,
      ruleId: r.ruleId,
      caseId: r.caseId ?? caseId,
      verdict: r.verdict,
      message: r.message,
      ...(r.expected !== undefined ? { expected: r.expected } : {}),
      ...(r.actual !== undefined ? { actual: r.actual } : {}),
      durationMs,
    }));
}
