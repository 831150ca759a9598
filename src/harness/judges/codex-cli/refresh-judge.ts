/**
 * The refresh family of the codex-cli judges (pure: no I/O), for a ChatGPT login whose access token
 * is expired, expiring, revoked or whose refresh is refused: REFRESH.PROACTIVE.001/.002 (whichever
 * the release's source states), REFRESH.401.003, REFRESH.TOKEN.001 (per auth manager),
 * REFRESH.PERSIST.001/.003, and REFRESH.ERROR.001-003 through refresh-error-judge.ts. Under the
 * facts of the release that ran (release-facts.ts).
 */
import { endpointKind } from '../../../rules/endpoint-kind.js';
import { where, type ObservedRequest } from '../../../rules/observed-request.js';
import { fail, pass, shownHeader, type RuleResult } from '../../../rules/result.js';
import type { ReleaseFacts } from '../../codex-cli/release-facts.js';
import type { CodexCliCase } from './case-view.js';
import type { RecordedRun } from './judge-run.js';
import { refreshErrorJudge } from './refresh-error-judge.js';
import { bearerFp, isOk, path } from './request-parts.js';

export function refreshJudge(run: RecordedRun, c: CodexCliCase, facts: ReleaseFacts, out: RuleResult[]): void {
  // REFRESH.PROACTIVE.001 (PR #18811: only an expired token) or .002 (the 5-minute window), whichever the release's source states.
  const proactive = facts.refreshWindowSeconds > 0 ? 'REFRESH.PROACTIVE.002' : 'REFRESH.PROACTIVE.001';
  const id = c.id;
  const e = run.entries;
  const tokenCalls = e.filter((x) => endpointKind(x.url) === 'oauthToken');
  const firstBackend = e.find((x) => endpointKind(x.url) === 'codexBackend' || endpointKind(x.url) === 'appsMcp');
  const auth = run.observations?.authJson;
  const state = c.tokens ?? 'fresh';
  // REFRESH.PROACTIVE.001: refresh before the first backend request exactly when the release's trigger says so.
  if (state === 'expired' || state === 'inRefreshWindow') {
    const due = state === 'expired' || facts.refreshWindowSeconds >= 120;
    const refreshedFirst = tokenCalls[0] !== undefined && (firstBackend === undefined || tokenCalls[0].seq < firstBackend.seq);
    const src = `${facts.refreshWindowSource.where}: ${facts.refreshWindowSource.quote}`;
    if (due && !refreshedFirst) out.push(fail(proactive, `access token ${state === 'expired' ? 'expired' : 'expiring in 120 s'} (${facts.version}: refresh window ${facts.refreshWindowSeconds} s)`, 'a token refresh before the first backend request', firstBackend === undefined ? 'no backend request' : `first backend request ${where(firstBackend)} ${tokenCalls[0] === undefined ? 'and no refresh' : `before the refresh ${where(tokenCalls[0])}`}; source: ${src}`, id));
    else if (!due && refreshedFirst) out.push(fail(proactive, `access token expiring in 120 s (${facts.version}: refresh only when expired)`, 'no proactive refresh', `refresh ${where(tokenCalls[0]!)} before the first backend request; source: ${src}`, id));
    else out.push(pass(proactive, `${proactive} ${due ? `refreshed before the first backend request (${where(tokenCalls[0]!)})` : 'no proactive refresh for a token outside the release\'s window'} (${facts.version}, window ${facts.refreshWindowSeconds} s)`, id));
  }
  if (state === 'fresh' && c.refreshRefusal === undefined) {
    if (tokenCalls.length > 0) out.push(fail(proactive, 'fresh access token (1 h left)', 'no refresh', where(tokenCalls[0]!), id));
    else out.push(pass(proactive, `${proactive} no refresh with a fresh access token`, id));
  }
  // REFRESH.401.003: a backend 401 leads to one refresh and the request retried with the new token.
  if (state === 'revoked') {
    const first401 = e.find((x) => endpointKind(x.url) === 'codexBackend' && x.verdict.status === 401);
    const after = first401 === undefined ? [] : tokenCalls.filter((t) => t.seq > first401.seq);
    if (first401 === undefined) out.push(fail('REFRESH.401.003', 'revoked access token', 'a 401 from the backend', 'no 401 was answered', id));
    else if (after.length !== 1) out.push(fail('REFRESH.401.003', `401 at ${where(first401)}`, 'exactly one refresh', `${after.length} token request(s)`, id));
    else {
      const retried = e.find((x) => x.seq > after[0]!.seq && endpointKind(x.url) === 'codexBackend' && isOk(x));
      if (retried === undefined) out.push(fail('REFRESH.401.003', `401 at ${where(first401)}, refresh ${where(after[0]!)}`, 'the request retried and served', 'no backend request succeeded after the refresh', id));
      else out.push(pass('REFRESH.401.003', `REFRESH.401.003 401 at ${where(first401)} → one refresh ${where(after[0]!)} → served ${where(retried)}`, id));
    }
  }
  // REFRESH.TOKEN.001 / PERSIST.001/002 after a successful refresh.
  const ok = tokenCalls.find(isOk);
  if (ok !== undefined && auth !== undefined) {
    const newFp = auth.after.accessToken;
    const firstNew = e.find((x) => bearerFp(x) === newFp);
    if (firstNew === undefined) out.push(fail('REFRESH.TOKEN.001', `refresh ${where(ok)}`, 'the refreshed access token used next', 'no request carried it', id));
    else {
      const stale = e.filter((x) => x.seq > firstNew.seq && bearerFp(x) !== undefined && bearerFp(x) !== newFp && endpointKind(x.url) !== 'oauthToken');
      const adopted = staleManagerAdoptions(e, stale, newFp, tokenCalls, facts.authLoadsPerExec - 1);
      const back = stale.find((x) => !adopted.includes(x));
      if (back !== undefined) out.push(fail('REFRESH.TOKEN.001', `after ${where(firstNew)} (first with the new token)`, 'only the new access token', `${where(back)} with ${shownHeader('authorization', back.headers['authorization'])}`, id));
      else out.push(pass('REFRESH.TOKEN.001', `REFRESH.TOKEN.001 from ${where(firstNew)} on, every request carried the refreshed token${adopted.length === 0 ? '' : `, except ${adopted.map(where).join(', ')}: another of the exec's ${facts.authLoadsPerExec} auth managers still held the old token, its 401 reloaded auth.json and the same path went again with the new token, no second redemption (UnauthorizedRecovery: the first 401 reloads, codex-rs/login/src/auth/manager.rs@343074d4)`}`, id));
    }
    const rewritten = auth.after.accessToken !== auth.before.accessToken && auth.after.refreshToken !== auth.before.refreshToken && auth.after.lastRefresh !== undefined && auth.after.lastRefresh !== auth.before.lastRefresh;
    if (!rewritten) out.push(fail('REFRESH.PERSIST.001', 'auth.json after the refresh', 'new access and refresh tokens and a new last_refresh', `access ${auth.before.accessToken ?? '-'} → ${auth.after.accessToken ?? '-'}, last_refresh ${auth.before.lastRefresh ?? '-'} → ${auth.after.lastRefresh ?? '-'}`, id));
    else out.push(pass('REFRESH.PERSIST.001', `REFRESH.PERSIST.001 auth.json rewritten: access ${auth.before.accessToken} → ${auth.after.accessToken}, last_refresh ${auth.before.lastRefresh} → ${auth.after.lastRefresh}`, id));
    // The release's credential lock sidecar (auth.json.lock) is a lock by design, not a leftover (release-facts.ts).
    const lockSidecar = (auth.strayFiles ?? []).filter((n) => facts.credentialLockFile && n === 'auth.json.lock');
    const stray = (auth.strayFiles ?? []).filter((n) => !lockSidecar.includes(n));
    // REFRESH.PERSIST.003: the rewritten file is whole JSON, mode 0600, no stray file beside it. How it is
    // written (in place or write-then-rename) is the release's choice; torn reads while it wrote are reported, not judged.
    const problems = [
      ...(!auth.after.exists || auth.after.torn ? ['auth.json is not whole JSON after the run'] : []),
      ...(auth.after.mode !== 0o600 ? [`mode ${auth.after.mode?.toString(8) ?? '?'}`] : []),
      ...(stray.length > 0 ? [`stray file(s) beside it: ${stray.join(', ')}`] : []),
    ];
    const how = auth.after.inode === auth.before.inode ? `rewritten in place${facts.authJsonWrite === 'inPlace' ? ` (as ${facts.version}'s source intends: FileAuthStorage::save \`options.truncate(true).write(true).create(true)\`, codex-rs/login/src/auth/storage.rs)` : ''}` : `replaced (inode ${auth.before.inode} → ${auth.after.inode})`;
    const torn = auth.tornReads === 0 ? 'none half-written' : `${auth.tornReads} saw it half-written`;
    if (problems.length > 0) out.push(fail('REFRESH.PERSIST.003', 'auth.json rewrite', 'whole JSON, mode 0600, no stray file', `${problems.join('; ')} (${how}; ${auth.polls} reads while the binary ran, ${torn})`, id));
    else out.push(pass('REFRESH.PERSIST.003', `REFRESH.PERSIST.003 auth.json ${how}: whole JSON, mode 600, no stray file${lockSidecar.length > 0 ? ' (the credential lock auth.json.lock is the release\'s lock by design)' : ''}; ${auth.polls} reads while the binary ran, ${torn}`, id));
  }
  refreshErrorJudge(run, c, facts, out);
}

/**
 * Old-token requests after the refresh that are another auth manager's (0.125-0.171 build 2 to 4 per
 * exec, each with its own cached login): refused 401, the same path sent again later with the new
 * token, and no token request in between (the 401 reloaded auth.json and adopted the refresh). At
 * most `max` of them, one per other manager; the first ones found.
 */
function staleManagerAdoptions(e: readonly ObservedRequest[], stale: readonly ObservedRequest[], newFp: string | undefined, tokenCalls: readonly ObservedRequest[], max: number): ObservedRequest[] {
  const adopted = stale.filter((x) => {
    if (x.verdict.status !== 401) return false;
    const retry = e.find((y) => y.seq > x.seq && bearerFp(y) === newFp && path(y.url) === path(x.url));
    return retry !== undefined && !tokenCalls.some((t) => t.seq > x.seq && t.seq < retry.seq);
  });
  return adopted.slice(0, Math.max(0, max));
}
