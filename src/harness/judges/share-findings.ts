import { compareVersions } from '../../rules/profiles.js';
import { unsupported, type RuleResult } from '../../rules/result.js';

/**
 * Releases before a SHARE rule's source existed. The matrix judges releases older than every
 * profile's range under the newest profile (release-facts.ts `matrixProfileFor`); where the source
 * at that release does what the binary did, the verdict is a finding, not a failure: the failure's
 * evidence is kept, under `unsupported`, with the source that makes it intended.
 * Sources as pinned in docs/shared-credentials-observed.md and src/rules/catalogue.ts.
 */
export interface ShareSince {
  /** First release whose source has what the rule requires. */
  readonly since: string;
  /** What the older source does instead, with its pinned path. */
  readonly before: string;
}

export const SHARE_SINCE: Readonly<Record<string, ShareSince>> = {
  'SHARE.RELOAD.001': { since: '0.105.0', before: 'no guarded reload before a redemption: `reload_if_account_id_matches` came with PR #11802 (0.105.0); codex-rs/core/src/auth.rs@rust-v0.80.0 refreshes the cached tokens' },
  'SHARE.RELOAD.002': { since: '0.105.0', before: 'no account check before a redemption: the "signed in to another account" stop came with PR #11802 (0.105.0); codex-rs/core/src/auth.rs@rust-v0.80.0 redeems its cached login' },
  'SHARE.RACE.001': { since: '0.171.0', before: 'no cross-process lock: a refresh lock per AuthManager only (codex-rs/login/src/auth/manager.rs@rust-v0.117.0 `refresh_lock`; PR #24663 closed unmerged); the `auth.json.lock` commit lock is first seen in the 0.171.0 binary' },
};

/** A failure on a release older than the rule's source becomes a finding (`unsupported`, evidence kept). */
export function asFinding(r: RuleResult, release: string): RuleResult {
  const s = SHARE_SINCE[r.ruleId];
  if (r.verdict !== 'fail' || s === undefined || compareVersions(release, s.since) >= 0) return r;
  const evidence = `${r.message}${r.expected === undefined ? '' : `; expected: ${r.expected}`}${r.actual === undefined ? '' : `; actual: ${r.actual}`}`;
  return unsupported(r.ruleId, `finding on ${release}, not a failure (the source at this release intends it: ${s.before}). Observed: ${evidence}`, r.caseId);
}
