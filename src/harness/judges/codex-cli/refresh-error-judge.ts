/**
 * REFRESH.ERROR.001-003 for a codex-cli case whose token endpoint refuses (pure: no I/O): the
 * class the binary reports (an exec's exit), and no second redemption of a refresh token refused permanently.
 * Under the release's own facts (release-facts.ts): a refusal its source treats as transient (a
 * 400 with a known code before 0.136.0, a 400 invalid_grant before 0.171.0) gets no verdict when
 * the binary stays within one redemption per auth manager, and a finding, never a failure, when it
 * retries; a release before the permanent-failure cache (0.117.0) gets a finding for a retry
 * (release-findings.ts).
 */
import { endpointKind } from '../../../rules/endpoint-kind.js';
import { where } from '../../../rules/observed-request.js';
import { fail, pass, type RuleResult } from '../../../rules/result.js';
import type { ReleaseFacts } from '../../codex-cli/release-facts.js';
import { asFinding, findingOf } from '../release-findings.js';
import type { CodexCliCase } from './case-view.js';
import type { RecordedRun } from './judge-run.js';

const REFRESH_MESSAGES: Readonly<Record<'refresh_token_expired' | 'refresh_token_reused' | 'refresh_token_invalidated', string>> = {
  refresh_token_expired: 'because your refresh token has expired',
  refresh_token_reused: 'because your refresh token was already used',
  refresh_token_invalidated: 'because your refresh token was revoked',
};

/** How the release's source treats a refusal that it does not classify as permanent, with the source. */
function transientBefore(refusal: NonNullable<CodexCliCase['refreshRefusal']>, facts: ReleaseFacts): string {
  const src = `${facts.permanentFailureSource.where}: ${facts.permanentFailureSource.quote}`;
  return refusal.code === 'invalid_grant'
    ? `a 400 invalid_grant is a transient refresh failure before 0.171.0 (${src}), so the request that needed the token may retry it`
    : `only a 401 is classified, so a ${refusal.status} ${refusal.code} is a transient refresh failure and the request that needed the token may retry it (${src}); known codes are permanent at any status from 0.136.0 (PR #24830)`;
}

export function refreshErrorJudge(run: RecordedRun, c: CodexCliCase, facts: ReleaseFacts, out: RuleResult[]): void {
  const refusal = c.refreshRefusal;
  if (refusal === undefined) return;
  const id = c.id;
  const tokenCalls = run.entries.filter((x) => endpointKind(x.url) === 'oauthToken');
  const knownCode = refusal.code !== 'invalid_grant';
  const isPermanent = refusal.status === 401 || (knownCode ? facts.knownCodesPermanent : facts.invalidGrantPermanent);
  // REFRESH.ERROR.001: the class the binary reports (REFRESH_TOKEN_*_MESSAGE, codex-rs/login/src/auth/manager.rs;
  // the literals are in every release judged here). A known code the release treats as transient is reported as such by design.
  // Judged where the binary reports it, an exec's exit; an app-server answers over JSON-RPC, which this judge does not read.
  if (knownCode && c.flow === 'exec') {
    const want = REFRESH_MESSAGES[refusal.code as keyof typeof REFRESH_MESSAGES];
    const said = run.outcome.description;
    const wrong = Object.entries(REFRESH_MESSAGES).filter(([code, m]) => code !== refusal.code && said.includes(m));
    const r = !said.includes(want) || wrong.length > 0
      ? fail('REFRESH.ERROR.001', `token endpoint refused with ${refusal.status} ${refusal.code}`, `the failure classified as "${want}"`, `the binary said: ${said.slice(-240)}`, id)
      : pass('REFRESH.ERROR.001', `REFRESH.ERROR.001 ${refusal.code} reported as "…${want}"`, id);
    out.push(isPermanent ? r : findingOf(r, facts.version, transientBefore(refusal, facts)));
  }
  // REFRESH.ERROR.002 (a 401: permanent in every release) / REFRESH.ERROR.003 (400 invalid_grant, or a known
  // code at another status): a permanent refusal is not retried for the same refresh token.
  const rule = refusal.status === 401 ? 'REFRESH.ERROR.002' : 'REFRESH.ERROR.003';
  if (tokenCalls.length === 0) {
    if (isPermanent) out.push(fail(rule, `expired token, token endpoint refusing (${refusal.status} ${refusal.code})`, 'one refresh attempt', 'no token request', id));
    return;
  }
  const sameBody = tokenCalls.filter((t) => t.bodyDigest !== undefined && t.bodyDigest === tokenCalls[0]!.bodyDigest);
  const src = `${facts.permanentFailureSource.where}: ${facts.permanentFailureSource.quote}`;
  // One attempt per auth manager is the design (the failure cache is per manager); more is a retry.
  const r = sameBody.length > facts.authLoadsPerExec
    ? fail(rule, `${isPermanent ? 'permanent' : 'known'} refusal ${refusal.status} ${refusal.code} at ${where(tokenCalls[0]!)}`, 'no second token request for the same refresh token', `${sameBody.length} identical token requests (same body digest ${sameBody[0]!.bodyDigest?.slice(0, 19)}…), more than the ${facts.authLoadsPerExec} auth managers of one exec in ${facts.version}: ${sameBody.map((t) => `#${t.seq}`).join(', ')}; source: ${src}; "Permanent refresh failure cached for the current auth snapshot so later refresh attempts for the same credentials fail fast without network." (codex-rs/login/src/auth/manager.rs)`, id)
    : pass(rule, `${rule} ${sameBody.length} identical token request(s) after the permanent refusal ${refusal.status} ${refusal.code}: at most one per auth manager (${facts.authLoadsPerExec} per exec in ${facts.version}; the failure is cached per AuthManager, CachedAuth.permanent_refresh_failure, codex-rs/login/src/auth/manager.rs)`, id);
  // A refusal the release treats as transient is outside both statements: no verdict, or a finding when it was retried.
  if (isPermanent) out.push(asFinding(r, facts.version));
  else if (r.verdict === 'fail') out.push(findingOf(r, facts.version, transientBefore(refusal, facts)));
}
