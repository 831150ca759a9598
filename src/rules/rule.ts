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

export type Verdict = 'pass' | 'fail' | 'skip' | 'error';
