/** A rule of the catalogue. Ids are stable: an id never changes meaning once published. */
export const RULE_AREAS = ['HDR', 'GATE', 'CACHE', 'URL', 'AGENT', 'REFRESH'] as const;
export type RuleArea = (typeof RULE_AREAS)[number];
export type RuleLevel = 'MUST' | 'SHOULD';

export interface Rule {
  /** `AREA.TOPIC.NNN`, e.g. `HDR.AGENT.002`. */
  readonly id: string;
  readonly level: RuleLevel;
  readonly area: RuleArea;
  readonly title: string;
  /** Path(s) in openai/codex the rule is taken from. */
  readonly source: string;
}

/**
 * The verdict of a rule on one case:
 * - `pass` / `fail`: judged;
 * - `error`: the harness or the implementation broke before the rule could be judged;
 * - `skip`: not judged in this run for a reason that makes the run partial (e.g. the
 *   implementation answered `skipped` at run time);
 * - `unsupported`: the implementation declared (at `start`) that it lacks a capability the rule
 *   needs (an auth mode, a callsite, an introspection item). Shown, listable in an expectation
 *   file, and not a partial run.
 */
export const VERDICTS = ['pass', 'fail', 'error', 'skip', 'unsupported'] as const;
export type Verdict = (typeof VERDICTS)[number];
