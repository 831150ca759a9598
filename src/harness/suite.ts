import type { ProfileId } from '../rules/profiles.js';
import type { RuleResult } from '../rules/result.js';
import type { Implementation } from './implementation.js';
import type { MockControl } from './mock-control.js';
import type { FailureLine } from './failure-evidence.js';
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
  /**
   * fast-check's command replay log (`replayPath`) of a model-based failure: with `path`, it lets
   * `fc.commands` walk the shrink tree without re-running the commands (cache suite only).
   */
  readonly replayPath?: string;
  /**
   * With `path`: the fast-check paths of the cases the failing case's process served before it
   * (`--after-path`), run first and on the same process, so a failure that depended on state a
   * reused process carried across cases reproduces.
   */
  readonly afterPaths?: readonly string[];
  /**
   * The selected rules of this run. A property fails only on these, so a replay command that
   * names one rule (`--rules R --seed S --path P`) runs exactly the predicate that found it.
   * Absent: every rule of the suite.
   */
  readonly rules?: readonly string[];
  /** Run only this share of the cases (`--shard k/n`); ignored when replaying a path. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** A transient status line for long steps (e.g. an install); present on a terminal only. */
  readonly onStatus?: (text: string) => void;
  /** Called after every case a suite executes (progress on long runs, the cases-run count). */
  readonly onCase?: (progress: CaseProgress) => void;
  /** Scratch directory; each case gets its own CODEX_HOME below it. */
  readonly scratch: string;
  /** The CLI words that select this implementation, for replay commands. */
  readonly implArg: string;
  /** The contract profile being judged: expectations and scenarios follow it. */
  readonly profile: ProfileId;
  /**
   * A failure an expectation file pins (`--expect`): the property records it and searches on, so
   * a failure of the same rule with other evidence is still found (and reported as new).
   */
  readonly knownFailure?: (line: FailureLine) => boolean;
}

export interface CaseProgress {
  readonly suite: string;
  /** Cases run so far in this round of the suite's property. */
  readonly done: number;
  /** Cases the round runs when nothing fails (examples plus generated). */
  readonly total: number;
  /** Search round (a round after a failure looks for failures of other rules). */
  readonly round: number;
  /** `search`: an example or generated case; `shrink`: a shrink candidate; `counterexample`: its re-run. */
  readonly phase: 'search' | 'shrink' | 'counterexample';
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
