/**
 * Verdicts for the black-box cases that set up more than one turn of plain traffic (pure: no I/O).
 * Each family judges from the journal and from what the binary left (auth.json, the Apps tools
 * cache files, the host's JSON-RPC refresh answers), under the facts of the release that ran
 * (release-facts.ts, which defers to the profiles' feature tables): refresh (REFRESH.PROACTIVE,
 * REFRESH.401.003, TOKEN, PERSIST.001/003, ERROR.001-003), the tenant base (URL.BASE.003, HDR.APPS.003
 * on an untrusted origin), staging agent identity (URL.AGENT.003/002, HDR.APPS.002), the Apps tools
 * cache across accounts (CACHE.KEY.001/002, CACHE.SWITCH.001/002, HDR.BEARER.001 per turn) and
 * host-provided tokens (REFRESH.EXTERNAL.001 with a 401, the host asked instead).
 *
 * Rule ids are the profile's: a verdict is emitted only for a rule of the profile under test
 * (`inProfile`), and a rule whose statement the release's own source does not make (e.g. the
 * 5-minute window of REFRESH.PROACTIVE.002 on a release that refreshes only expired tokens, judged
 * under the newest profile by `matrix`) gets no verdict from that release, never a failure.
 */
import { inProfile } from '../../../rules/catalogue.js';
import type { ProfileId } from '../../../rules/profiles.js';
import { endpointKind } from '../../../rules/endpoint-kind.js';
import type { ObservedRequest } from '../../../rules/observed-request.js';
import { fail, pass, shownHeader, skip, type RuleResult } from '../../../rules/result.js';
import { createHash } from 'node:crypto';
import { fingerprint } from '../../../redact/fingerprint.js';
import { codexCliCase, OTHER_WORKSPACE_ID, STAGING_BASE_URL, TENANT_BASE_URL, TENANT_HOST, type CodexCliCase } from './case-view.js';
import { checkScoping, type ScopingCase } from '../../../rules/check-scoping.js';
import type { RecordedRun } from './judge-run.js';
import { releaseFacts, type ReleaseFacts } from '../../codex-cli/release-facts.js';
import { refreshErrorJudge } from './refresh-error-judge.js';

const where = (e: ObservedRequest): string => `#${e.seq} ${e.method} ${e.url}`;
const isOk = (e: ObservedRequest): boolean => e.verdict.status >= 200 && e.verdict.status < 300;
const bearerFp = (e: ObservedRequest): string | undefined => (e.credential.kind === 'bearer' ? e.credential.fingerprint : undefined);
const host = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
};
const path = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/**
 * Calls the 0.171 source sends to the constant production host by design, whatever
 * `chatgpt_base_url` says: the model catalogue (`CHATGPT_CODEX_BASE_URL`,
 * codex-rs/model-provider-info/src/lib.rs) and the public curated-plugins export
 * (codex-rs/core-plugins/src/startup_sync.rs).
 */
export function isConstantHostCall(e: ObservedRequest): boolean {
  if (host(e.url) !== 'chatgpt.com') return false;
  const p = path(e.url);
  return /\/backend-api\/codex\/(models|responses)\/?$/.test(p) || /\/backend-api\/plugins\/export\/curated\/?$/.test(p);
}

function refreshJudge(run: RecordedRun, c: CodexCliCase, facts: ReleaseFacts, out: RuleResult[]): void {
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

function tenantJudge(run: RecordedRun, facts: ReleaseFacts, out: RuleResult[]): void {
  const id = run.expectation.caseId;
  const e = run.entries;
  const toDefault = e.filter((x) => host(x.url) === 'chatgpt.com');
  const unexpected = toDefault.filter((x) => !isConstantHostCall(x));
  if (unexpected.length > 0) out.push(fail('URL.BASE.003', `chatgpt_base_url = ${TENANT_BASE_URL}`, `no request to chatgpt.com except the constant-host calls (model catalogue, Responses, curated export)`, `${unexpected.length} other request(s), first ${where(unexpected[0]!)}`, id));
  else if (e.some((x) => host(x.url) === TENANT_HOST)) out.push(pass('URL.BASE.003', `URL.BASE.003 with ${TENANT_BASE_URL}: backend calls went to ${TENANT_HOST}; chatgpt.com got only the constant-host calls by design (${[...new Set(toDefault.map((x) => path(x.url)))].join(', ') || 'none'}; CHATGPT_CODEX_BASE_URL, codex-rs/model-provider-info/src/lib.rs)`, id));
  const apps = e.filter((x) => endpointKind(x.url) === 'appsMcp');
  if (apps.length === 0) return;
  if (facts.appsTrustGate) {
    const leaked = apps.filter((x) => x.headers['authorization'] !== undefined || x.headers['chatgpt-account-id'] !== undefined);
    if (leaked.length > 0) out.push(fail('HDR.APPS.003', `Codex Apps on the untrusted origin https://${TENANT_HOST}`, 'no ChatGPT credentials (is_trusted_chatgpt_mcp_server, codex-rs/codex-mcp/src/mcp/mod.rs)', `${where(leaked[0]!)} with ${shownHeader('authorization', leaked[0]!.headers['authorization'])}`, id));
    else out.push(pass('HDR.APPS.003', `HDR.APPS.003 Codex Apps on the untrusted origin https://${TENANT_HOST} got no ChatGPT credentials (${apps.length} request(s), first ${where(apps[0]!)})`, id));
  }
}

/** URL.BASE.001 and HDR.BACKEND.001 with a configured base: backend calls under it, except the constant-host calls; Apps on an untrusted origin is judged by HDR.APPS.003. */
function configuredBaseJudge(run: RecordedRun, base: string, facts: ReleaseFacts, out: RuleResult[]): void {
  const id = run.expectation.caseId;
  const prefix = base.replace(/\/+$/, '');
  const backend = run.entries.filter((x) => (endpointKind(x.url) === 'codexBackend' || endpointKind(x.url) === 'appsMcp') && !isConstantHostCall(x));
  const outside = backend.filter((x) => !x.url.startsWith(`${prefix}/`));
  if (outside.length > 0) out.push(fail('URL.BASE.001', `chatgpt_base_url = ${base}`, `backend requests under ${prefix}/ (constant-host calls excepted)`, `${where(outside[0]!)}`, id));
  else if (backend.length > 0) out.push(pass('URL.BASE.001', `URL.BASE.001 every configurable backend request went under ${prefix}/ (first ${where(backend[0]!)}); constant-host calls excepted by design`, id));
  const untrustedApps = (x: ObservedRequest): boolean => facts.appsTrustGate && endpointKind(x.url) === 'appsMcp' && new URL(x.url).origin !== 'https://chatgpt.com' && !/(^|\.)chatgpt-staging\.com$/.test(host(x.url));
  const judged = run.entries.filter((x) => endpointKind(x.url) === 'codexBackend' && !untrustedApps(x) && !/\/plugins\/export\/curated\/?$/.test(path(x.url)));
  const bare = judged.filter((x) => x.headers['authorization'] === undefined);
  if (bare.length > 0) out.push(fail('HDR.BACKEND.001', `chatgpt_base_url = ${base}`, 'an authorization header on every codex-backend request', `${where(bare[0]!)} without one`, id));
  else if (judged.length > 0) out.push(pass('HDR.BACKEND.001', `HDR.BACKEND.001 every codex-backend request carried authorization (Apps on an untrusted origin judged by HDR.APPS.003)`, id));
}

function stagingJudge(run: RecordedRun, facts: ReleaseFacts, out: RuleResult[]): void {
  const id = run.expectation.caseId;
  const rt = run.expectation.agentRuntimeId ?? '?';
  const authapi = facts.stagingAuthapi ? 'https://auth.api.openai.org/api/accounts' : 'https://auth.openai.com/api/accounts';
  const want = `${authapi}/v1/agent/${rt}/task/register`;
  const wantJwks = `${STAGING_BASE_URL}wham/agent-identities/jwks`;
  for (const x of run.entries) {
    const k = endpointKind(x.url);
    if (k === 'taskRegistration') {
      // URL.AGENT.003 states the environment map (0.142.0 on); a release that registers at production whatever the base makes no such statement.
      if (!facts.stagingAuthapi) continue;
      if (`${new URL(x.url).origin}${path(x.url)}` !== want) out.push(fail('URL.AGENT.003', `staging base ${STAGING_BASE_URL}`, want, x.url, id));
      else out.push(pass('URL.AGENT.003', `URL.AGENT.003 staging base → ${want} (STAGING_AGENT_IDENTITY_AUTHAPI_BASE_URL, codex-rs/agent-identity/src/lib.rs)`, id));
    }
    if (k === 'jwks') {
      if (`${new URL(x.url).origin}${path(x.url)}` !== wantJwks) out.push(fail('URL.AGENT.002', `staging base ${STAGING_BASE_URL}`, wantJwks, x.url, id));
      else out.push(pass('URL.AGENT.002', `URL.AGENT.002 JWKS from the configured staging base ${wantJwks}`, id));
    }
  }
  // Codex Apps on the staging origin: trusted (AgentAssertion expected, HDR.APPS.002) from the staging trust change,
  // untrusted before it (HDR.APPS.003); no gate at all is HDR.APPS.001.
  const apps = run.entries.filter((x) => endpointKind(x.url) === 'appsMcp');
  if (apps.length > 0) {
    const trusted = !facts.appsTrustGate || facts.stagingAppsTrusted;
    const bad = apps.filter((x) => (x.headers['authorization'] !== undefined) !== trusted);
    const want = trusted ? 'the agent identity credentials (trusted staging origin)' : 'no ChatGPT credentials (staging not yet a trusted origin in this release)';
    const rule = !facts.appsTrustGate ? 'HDR.APPS.001' : trusted ? 'HDR.APPS.002' : 'HDR.APPS.003';
    if (bad.length > 0) out.push(fail(rule, `Codex Apps on ${STAGING_BASE_URL} (${facts.version})`, want, `${where(bad[0]!)} with ${shownHeader('authorization', bad[0]!.headers['authorization'])}`, id));
    else out.push(pass(rule, `${rule} Codex Apps on the staging origin carried ${want} (${apps.length} request(s))`, id));
  }
}

function cacheJudge(run: RecordedRun, c: CodexCliCase, out: RuleResult[]): void {
  const id = run.expectation.caseId;
  const turns = run.observations?.turns ?? [];
  if (turns.length < 2) return;
  const [a, b] = [turns[0]!, turns[1]!];
  // HDR.BEARER.001 per turn.
  for (const [i, t] of turns.entries()) {
    if (t.bearer === undefined) continue;
    const want = fingerprint(t.bearer);
    const bearers = run.entries.filter((x) => t.journalSeqs.includes(x.seq) && x.credential.kind === 'bearer');
    const wrong = bearers.filter((x) => x.credential.kind === 'bearer' && x.credential.fingerprint !== want);
    if (wrong.length > 0) out.push(fail('HDR.BEARER.001', `turn ${i + 1} (account ${t.accountId ?? '?'})`, `Bearer ${want}`, `${where(wrong[0]!)} with ${shownHeader('authorization', wrong[0]!.headers['authorization'])}`, id));
    // A turn that sent no Bearer request (e.g. an app-server that never started) shows nothing to judge: no verdict, never a pass.
    else if (bearers.length > 0) out.push(pass('HDR.BEARER.001', `HDR.BEARER.001 turn ${i + 1} carried its own account's token on every request (${bearers.length})`, id));
  }
  const fileOf = (t: typeof a, acct: string | undefined) => t.cacheFiles.filter((f) => /codex_apps_tools/.test(f.path) && acct !== undefined && (f.toolsOf[acct]?.length ?? 0) > 0);
  const aFiles = fileOf(b, a.accountId);
  const bFiles = fileOf(b, b.accountId);
  if (c.flow === 'appServer' && aFiles.length === 0 && bFiles.length === 0) {
    // app-server with host tokens keeps no disk cache here: CACHE.KEY.002 is judged by the exec switch case.
  } else if (aFiles.length === 0 || bFiles.length === 0) {
    out.push(fail('CACHE.KEY.002', 'two accounts, one CODEX_HOME', 'one Apps tools cache file per identity', `files after turn 2: ${b.cacheFiles.map((f) => f.path).join(', ') || 'none'}`, id));
  } else {
    const shared = aFiles.filter((f) => bFiles.some((g) => g.path === f.path));
    if (shared.length > 0) out.push(fail('CACHE.KEY.002', 'two accounts, one CODEX_HOME', 'separate cache files', `${shared[0]!.path} holds both accounts' tools`, id));
    else out.push(pass('CACHE.KEY.002', `CACHE.KEY.002 account A's tools in ${aFiles[0]!.path}, account B's in ${bFiles[0]!.path} (sha1 of the cache key, codex-rs/connectors/src/connector_runtime/persistence.rs)`, id));
  }
  // CACHE.SWITCH.002 (exec: a restart with the disk cache kept) / CACHE.SWITCH.001 (app-server: a second
  // login in the same process): after the switch B never gets A's tools.
  const switchRule = c.flow === 'appServer' ? 'CACHE.SWITCH.001' : 'CACHE.SWITCH.002';
  const how = c.flow === 'appServer' ? 'in the same app-server process' : 'same CODEX_HOME, new process';
  const foreignInB = bFiles.filter((f) => (f.toolsOf[a.accountId ?? ''] ?? []).length > 0);
  const offeredB = (run.observations?.modelRequests ?? []).filter((m) => b.modelRequestSeqs.includes(m.seq)).flatMap((m) => m.toolNames);
  const offeredForeign = offeredB.filter((n) => a.appsTools.some((t) => n.includes(t)));
  const listedB = run.entries.filter((x) => b.journalSeqs.includes(x.seq) && endpointKind(x.url) === 'appsMcp' && x.method === 'POST' && isOk(x));
  if (foreignInB.length > 0 || offeredForeign.length > 0) out.push(fail(switchRule, `account B after account A (${how})`, "only account B's Apps tools", foreignInB.length > 0 ? `${foreignInB[0]!.path} serves A's tools to B` : `B's Responses request offered ${offeredForeign.join(', ')}`, id));
  else if (listedB.length === 0) out.push(fail(switchRule, `account B after account A (${how})`, "B's Apps tools fetched with B's credentials (or B's own cache)", 'no Apps request in B\'s turn and no cache file of B', id));
  else out.push(pass(switchRule, `${switchRule} after the switch (${how}) B fetched its own tools (${listedB.length} Apps request(s) with B's token), no cache file holds A's tools for B, and B's Responses requests offered none of A's (${offeredB.length} tool names offered)`, id));
}

/**
 * CACHE.KEY.001 from the disk cache: the file holding an identity's Apps tools is named
 * sha1(serde_json(key)) with key = {account_id, chatgpt_user_id, is_workspace_account} from the
 * generic getters (codex-rs/connectors/src/connector_runtime/persistence.rs `cache_path_in`;
 * ConnectorRuntimeContextKey in connector_runtime/mod.rs; `codex_apps_tools_cache_key` in
 * codex-mcp/src/mcp_connection_manager.rs@5882f3f9).
 */
function cacheKeyJudge(run: RecordedRun, out: RuleResult[]): void {
  const id = run.expectation.caseId;
  for (const t of run.observations?.turns ?? []) {
    if (t.appsCacheKey === undefined || t.accountId === undefined) continue;
    const want = `${createHash('sha1').update(t.appsCacheKey).digest('hex')}.json`;
    const files = t.cacheFiles.filter((f) => /codex_apps_tools\//.test(f.path) && (f.toolsOf[t.accountId!]?.length ?? 0) > 0);
    for (const f of files) {
      if (!f.path.endsWith(`/${want}`)) out.push(fail('CACHE.KEY.001', `Apps tools cache file of account ${t.accountId}`, `cache/codex_apps_tools/${want} (sha1 of ${t.appsCacheKey})`, f.path, id));
      else out.push(pass('CACHE.KEY.001', `CACHE.KEY.001 account ${t.accountId}'s tools are cached under sha1(${t.appsCacheKey}) = ${f.path}`, id));
    }
  }
}

function hostRefreshJudge(run: RecordedRun, out: RuleResult[]): void {
  const id = run.expectation.caseId;
  const asked = run.observations?.hostRefreshRequests ?? 0;
  const tokenCalls = run.entries.filter((x) => endpointKind(x.url) === 'oauthToken');
  const first401 = run.entries.find((x) => x.verdict.status === 401 && endpointKind(x.url) === 'codexBackend');
  if (tokenCalls.length > 0) out.push(fail('REFRESH.EXTERNAL.001', 'host-provided tokens with a backend 401', 'no OAuth token request (the host is asked over JSON-RPC)', where(tokenCalls[0]!), id));
  else if (first401 === undefined) out.push(fail('REFRESH.EXTERNAL.001', 'host-provided token revoked on the backend', 'a 401 that makes the binary ask the host', 'no 401 answered', id));
  else if (asked === 0) out.push(fail('REFRESH.EXTERNAL.001', `401 at ${where(first401)}`, 'account/chatgptAuthTokens/refresh sent to the host', 'the host was never asked', id));
  else out.push(pass('REFRESH.EXTERNAL.001', `REFRESH.EXTERNAL.001 after the 401 at ${where(first401)} the binary asked the host ${asked} time(s) over JSON-RPC (account/chatgptAuthTokens/refresh) and never called the token endpoint`, id));
}

export function judgeScenario(run: RecordedRun, version: string, profile: ProfileId): RuleResult[] {
  let c: CodexCliCase;
  try {
    c = codexCliCase(run.expectation.caseId);
  } catch {
    return [];
  }
  const facts = releaseFacts(version);
  const out: RuleResult[] = [];
  if (c.mode === 'chatgpt' && (c.tokens !== undefined || c.refreshRefusal !== undefined)) refreshJudge(run, c, facts, out);
  if (c.chatgptBaseUrl === TENANT_BASE_URL) {
    tenantJudge(run, facts, out);
    configuredBaseJudge(run, TENANT_BASE_URL, facts, out);
  }
  if (c.chatgptBaseUrl === STAGING_BASE_URL) {
    stagingJudge(run, facts, out);
    configuredBaseJudge(run, STAGING_BASE_URL, facts, out);
  }
  if (c.switchAccount === true) cacheJudge(run, c, out);
  if (c.hostRefresh === true) hostRefreshJudge(run, out);
  if (c.scoping !== undefined || c.flow === 'tui') out.push(...scopingJudge(run, c));
  cacheKeyJudge(run, out);
  return out.filter((r) => inProfile(profile, r.ruleId));
}

/**
 * The scoping cases through the shared checker (src/rules/check-scoping.ts): the custom provider
 * (HDR.PROVIDER.001), the forced workspace (GATE.WORKSPACE.001) and OPENAI_BASE_URL in the
 * actor's env (URL.ENVBASE.001, a pr18811-profile rule: the profile filter drops it elsewhere).
 * A TUI case is judged as a usage call (GATE.USAGE.001): the interactive TUI is the flow of the
 * binary that reads usage (`wham/usage`), at start-up when the provider requires OpenAI auth and
 * the login has a ChatGPT account; its model traffic, if a prompt was typed, is not the question.
 */
function scopingJudge(run: RecordedRun, c: CodexCliCase): RuleResult[] {
  const scoping = c.scoping ?? {};
  const mode = c.personalAccessToken === true ? 'personalAccessToken' : run.expectation.mode;
  const accountId = run.expectation.accountId;
  const judged: ScopingCase = {
    caseId: run.expectation.caseId,
    auth: { mode, ...(accountId === undefined ? {} : { accountId }) },
    call: c.flow === 'tui' ? 'usage' : 'model',
    ...(scoping.modelProviderBaseUrl === undefined ? {} : { modelProvider: { baseUrl: scoping.modelProviderBaseUrl, requiresOpenaiAuth: false, ownAuth: 'none' as const } }),
    ...(scoping.forcedOtherWorkspace === true ? { forcedWorkspaceIds: [OTHER_WORKSPACE_ID] } : {}),
    ...(scoping.envOpenaiBaseUrl === undefined ? {} : { envOpenaiBaseUrl: scoping.envOpenaiBaseUrl }),
    // A turn stopped by the harness after its first model request counts as sent; otherwise the binary stopped on its own.
    outcome: run.outcome.completed || (c.flow !== 'tui' && run.entries.some((e) => /\/responses\/?$/.test(new URL(e.url).pathname))) ? 'sent' : 'errored',
  };
  // A TUI that sent nothing never got past its start-up: no evidence either way, no verdict.
  if (c.flow === 'tui' && run.entries.length === 0) return [skip('GATE.USAGE.001', `GATE.USAGE.001 not judged: the TUI sent no request while it ran (${run.outcome.description.slice(0, 200)})`, run.expectation.caseId)];
  return checkScoping(judged, run.entries);
}

/** Rules judge-scenarios replaces for a case (the general judge's verdict does not fit the set-up). */
export function replacedRules(caseId: string): readonly string[] {
  let c: CodexCliCase;
  try {
    c = codexCliCase(caseId);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (c.tokens !== undefined || c.refreshRefusal !== undefined) out.push('REFRESH.TOKEN.001', 'REFRESH.ERROR.002');
  if (c.chatgptBaseUrl === TENANT_BASE_URL || c.chatgptBaseUrl === STAGING_BASE_URL) out.push('URL.BASE.001', 'URL.AGENT.003', 'URL.AGENT.005', 'URL.AGENT.002', 'URL.APPS.001', 'HDR.BACKEND.001');
  // On the tenant and staging origins the release decides (trust gate); judged by tenantJudge / stagingJudge.
  if (c.chatgptBaseUrl === TENANT_BASE_URL || c.chatgptBaseUrl === STAGING_BASE_URL) out.push('HDR.APPS.001', 'HDR.APPS.002', 'HDR.APPS.003');
  // The scoping cases (custom model provider, forced workspace) are judged by scopingJudge: the model
  // base is the custom provider's, and no login credential may reach it.
  if (c.scoping !== undefined) out.push('URL.MODEL.001', 'URL.APIKEY.002', 'URL.BASE.003', 'HDR.BEARER.001', 'HDR.BEARER.002', 'HDR.ACCOUNT.001', 'HDR.ACCOUNT.002', 'HDR.FEDRAMP.001', 'HDR.AUTH.001', 'HDR.BACKEND.001', 'REFRESH.TOKEN.001', 'CACHE.KEY.001');
  return out;
}
