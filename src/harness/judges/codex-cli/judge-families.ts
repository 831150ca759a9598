/**
 * Verdicts for the black-box cases that set up more than one turn of plain traffic (pure: no I/O).
 * Each family judges from the journal and from what the binary left (auth.json, the Apps tools
 * cache files, the host's JSON-RPC refresh answers), under the facts of the release that ran
 * (release-facts.ts, which defers to the profiles' feature tables): refresh (refresh-judge.ts), the tenant base (URL.BASE.003, HDR.APPS.003
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
import { refreshJudge } from './refresh-judge.js';
import { host, isOk, path } from './request-parts.js';
import { where } from '../../../rules/observed-request.js';

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
