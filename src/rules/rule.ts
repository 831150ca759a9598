import type { ProfileId } from './profiles.js';

/** A rule of the catalogue. Ids are stable: an id never changes meaning once published. */
export const RULE_AREAS = ['HDR', 'GATE', 'CACHE', 'URL', 'AGENT', 'REFRESH', 'SHARE'] as const;
export type RuleArea = (typeof RULE_AREAS)[number];
export type RuleLevel = 'MUST' | 'SHOULD';

/** A place in openai/codex a rule is read from, pinned to a commit or a release tag. */
export interface SourceRef {
  /** Path in openai/codex, e.g. `codex-rs/login/src/auth/manager.rs`. */
  readonly path: string;
  /** Upstream commit (hex prefix of at least 8) or release tag (`rust-v0.171.0`). */
  readonly ref: string;
  /** What the rule rests on there, in a few words (a fact, not copied code). */
  readonly note?: string;
}

/** Why a published id is no longer in any profile, and what states the contract instead. */
export interface Withdrawal {
  readonly reason: string;
  readonly replacedBy: readonly string[];
}

export interface Rule {
  /** `AREA.TOPIC.NNN`, e.g. `HDR.AGENT.002`. */
  readonly id: string;
  readonly level: RuleLevel;
  readonly area: RuleArea;
  readonly title: string;
  /** The contract versions (profiles) this rule belongs to; empty only for a withdrawn rule. */
  readonly profiles: readonly ProfileId[];
  /** Pinned sources, at least one per profile the rule belongs to. */
  readonly sources: readonly SourceRef[];
  /** The sources rendered `path@ref, ...` (for listings and reports). */
  readonly source: string;
  /** Set when the id was withdrawn: the source never stated it. The id is never reused. */
  readonly withdrawn?: Withdrawal;
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
