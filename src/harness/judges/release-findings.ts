import { compareVersions } from '../../rules/profiles.js';
import { unsupported, type RuleResult } from '../../rules/result.js';

/**
 * Releases before a rule's source existed. The matrix judges releases older than every profile's
 * range under the newest profile (release-facts.ts `matrixProfileFor`); where the source at that
 * release does what the binary did, the verdict is a finding, not a failure: the failure's
 * evidence is kept, under `unsupported`, with the source that makes it intended.
 * Sources as pinned in docs/shared-credentials-observed.md and src/rules/catalogue.ts.
 */
export interface RuleSince {
  /** First release whose source has what the rule requires. */
  readonly since: string;
  /** What the older source does instead, with its pinned path. */
  readonly before: string;
}

/** The permanent-failure cache (PR #15530): what REFRESH.ERROR.002/.003 require, absent before 0.117.0. */
const NO_FAILURE_CACHE =
  'no permanent-failure cache: every refresh redeems again, e.g. the app-server\'s account/read and getAuthStatus with refreshToken: true call `auth_manager.refresh_token()` each time (`refresh_token_if_requested`, codex-rs/app-server/src/codex_message_processor.rs@f793618e, a stored version before the refresh outcome was classified); "Permanent refresh failure cached for the current auth snapshot" came with PR #15530 (0.117.0; observed: 0.116.0 redeems on every poll, 0.117.0 does not)';

export const RULE_SINCE: Readonly<Record<string, RuleSince>> = {
  'SHARE.RELOAD.001': { since: '0.105.0', before: 'no guarded reload before a redemption: `reload_if_account_id_matches` came with PR #11802 (0.105.0); codex-rs/core/src/auth.rs@rust-v0.80.0 refreshes the cached tokens' },
  'SHARE.RELOAD.002': { since: '0.105.0', before: 'no account check before a redemption: the "signed in to another account" stop came with PR #11802 (0.105.0); codex-rs/core/src/auth.rs@rust-v0.80.0 redeems its cached login' },
  'SHARE.RACE.001': { since: '0.171.0', before: 'no cross-process lock: a refresh lock per AuthManager only (codex-rs/login/src/auth/manager.rs@rust-v0.117.0 `refresh_lock`; PR #24663 closed unmerged); the `auth.json.lock` commit lock is first seen in the 0.171.0 binary' },
  'REFRESH.ERROR.002': { since: '0.117.0', before: NO_FAILURE_CACHE },
  'REFRESH.ERROR.003': { since: '0.117.0', before: NO_FAILURE_CACHE },
};

/** A failure on a release older than the rule's source (RULE_SINCE) becomes a finding (`unsupported`, evidence kept). */
export function asFinding(r: RuleResult, release: string): RuleResult {
  const s = RULE_SINCE[r.ruleId];
  if (s === undefined || compareVersions(release, s.since) >= 0) return r;
  return findingOf(r, release, s.before);
}

/**
 * A failure that the source at `release` intends (`before` says how, with its pinned path) as a
 * finding: `unsupported`, its evidence kept. Anything but a failure is returned as it is.
 */
export function findingOf(r: RuleResult, release: string, before: string): RuleResult {
  if (r.verdict !== 'fail') return r;
  const evidence = `${r.message}${r.expected === undefined ? '' : `; expected: ${r.expected}`}${r.actual === undefined ? '' : `; actual: ${r.actual}`}`;
  return unsupported(r.ruleId, `finding on ${release}, not a failure (the source at this release intends it: ${before}). Observed: ${evidence}`, r.caseId);
}
