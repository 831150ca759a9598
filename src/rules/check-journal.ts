/**
 * Judges recorded traffic with no knowledge of the case: only what each request carries and
 * what the mock attributed to its credential. Used by `codex-auth-conformance check` on a
 * journal or a HAR capture. Every rule judged at least once reports a pass unless it failed.
 *
 * Header values are judged as a JavaScript client can get them wrong: an empty, whitespace-padded
 * or placeholder ("undefined", "null", "NaN", "[object Object]") account id fails HDR.ACCOUNT.002;
 * a placeholder credential fails HDR.BEARER.001 / HDR.AGENT.001.
 *
 * With `mockAttribution` (a journal the mock wrote: `serve --journal`), the mock's own verdict on
 * each credential is evidence: a Bearer token the mock never issued fails HDR.BEARER.001, and a
 * managed ChatGPT access token the backend keeps answering 401 must be refreshed (REFRESH.401.003).
 * A HAR capture carries no such knowledge, so those two are not judged on it.
 *
 * Rules judged here, per contract profile (rules outside the profile are never reported):
 * HDR.BEARER.002, HDR.ACCOUNT.001, HDR.ACCOUNT.002, HDR.FEDRAMP.001, HDR.FEDRAMP.002,
 * HDR.AGENT.001, HDR.AGENT.002, HDR.AUTH.001, HDR.BACKEND.001, HDR.APPS.001 / HDR.APPS.002 /
 * HDR.APPS.003, GATE.APIKEY.002 / GATE.APIKEY.003, AGENT.ASSERT.001-006 (as far as the attribution
 * tells), AGENT.TASK.003, AGENT.TASK.004, AGENT.TASK.005, AGENT.JWT.002, REFRESH.REQUEST.001 /
 * REFRESH.REQUEST.002 / REFRESH.REQUEST.003, REFRESH.TOKEN.001, REFRESH.ERROR.002, REFRESH.401.003 (with mockAttribution),
 * HDR.UNIQUE.001, URL.ROUTING.001, URL.ROUTING.002 (codex-0.171).
 */
import { checkAssertionToken } from './assertion-checks.js';
import { inProfile, pickRule, ruleIdsInProfile } from './catalogue.js';
import { appsHeaderRule, contractFeatures } from './contract/features.js';
import { contractAppsTrusted, CONTRACT_CHATGPT_CODEX_BASE } from './contract/urls.js';
import { DEFAULT_PROFILE, type ProfileId } from './profiles.js';
import { endpointKind, registrationRuntimeId, type EndpointKind } from './endpoint-kind.js';
import type { ObservedRequest } from './observed-request.js';
import { carriesIdentityHeader, repeatedIdentityHeaders } from './unique-headers.js';
import { routingFindings } from './routing-checks.js';
import { fail, pass, shownHeader, skip, type RuleResult } from './result.js';

/** Header names that carry a credential besides `authorization` (HDR.AUTH.001). */
export const OTHER_CREDENTIAL_HEADERS = ['x-api-key', 'api-key', 'openai-api-key', 'proxy-authorization', 'agentassertion', 'agent-assertion'] as const;

function where(e: ObservedRequest): string {
  return `#${e.seq} ${e.method} ${e.url}`;
}

function groupKey(e: ObservedRequest): string {
  return e.caseId ?? '';
}

/** Assertion rules that need the assertion text (003 and 005 use the mock's attribution). */
const STRUCTURAL_ASSERTION_RULES = ['AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.004', 'AGENT.ASSERT.006'] as const;
/** A keyed fingerprint as written by redacted journals (src/redact/fingerprint.ts). */
const FINGERPRINT = /^fp:[0-9a-f]{12}$/;

class Collector {
  readonly failures: RuleResult[] = [];
  readonly judged = new Map<string, ObservedRequest>();
  readonly unjudged = new Map<string, { e: ObservedRequest; why: string; seqs: number[] }>();
  notJudged(ruleId: string, e: ObservedRequest, why: string): void {
    const entry = this.unjudged.get(ruleId) ?? { e, why, seqs: [] };
    entry.seqs.push(e.seq);
    this.unjudged.set(ruleId, entry);
  }
  judge(ruleId: string, e: ObservedRequest): void {
    if (!this.judged.has(ruleId)) this.judged.set(ruleId, e);
  }
  fail(ruleId: string, e: ObservedRequest, what: string, expected: string, actual: string): void {
    this.judge(ruleId, e);
    this.failures.push(fail(ruleId, `${what} on ${where(e)}`, expected, actual, e.caseId));
  }
  results(): RuleResult[] {
    const failed = new Set(this.failures.map((f) => f.ruleId));
    const passes = [...this.judged]
      .filter(([id]) => !failed.has(id))
      .map(([id, e]) => pass(id, `${id} held on every request it applies to (first: ${where(e)})`));
    const skips = [...this.unjudged]
      .filter(([id]) => !this.judged.has(id))
      .map(([id, u]) => skip(id, `${id} not judged on ${u.seqs.map((n) => `#${n}`).join(', ')}: ${u.why}`));
    return [...this.failures, ...passes, ...skips];
  }
}

export interface JournalCheckOptions {
  /** The contract profile judged (default: the newest). */
  readonly profile?: ProfileId;
  /** The configured ChatGPT base, when known (the Apps trust gate of codex-0.171 compares with it). */
  readonly chatgptBaseUrl?: string;
  /**
   * Where each call the harness made began: the last journal seq before it. Given, AGENT.TASK.004
   * is judged per call (a later call may try a failed registration again, as a new load or the
   * per-load once-cell does); without it, retries cannot be told from new attempts and the rule
   * is not judged.
   */
  readonly callStarts?: readonly number[];
  /** The entries carry the mock's own attribution of each credential (a journal `serve` wrote). */
  readonly mockAttribution?: boolean;
  /**
   * The token URL the contract expects (contractTokenUrl: CODEX_REFRESH_TOKEN_URL_OVERRIDE, else
   * production). Given, a refresh sent anywhere else (origin and path compared) fails
   * REFRESH.REQUEST.001 / .002 ("POST {token URL}"); without it only the shape is judged.
   */
  readonly tokenUrl?: string;
}

/** Origin and path of a URL (query and fragment dropped), or the text itself when it does not parse. */
function originAndPath(url: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : url;
}

/** Values a JavaScript client produces by interpolating a missing value. */
const PLACEHOLDER = /^(undefined|null|nan|none|\[object object\])$/i;

/** Public plugin-catalogue endpoints: the curated export never carries auth, the featured list may not. */
function isPublicPluginEndpoint(url: string): boolean {
  try {
    return /\/plugins\/(export\/curated|featured)\/?$/.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

export function checkJournal(entries: readonly ObservedRequest[], options: JournalCheckOptions = {}): RuleResult[] {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const c = new Collector();
  const ordered = [...entries].sort((a, b) => a.seq - b.seq);
  for (const e of ordered) {
    const kind = endpointKind(e.url);
    checkEntry(c, e, kind, profile, options);
    checkValues(c, e);
    checkUnique(c, e);
    if (options.mockAttribution === true) checkAttribution(c, e, kind);
  }
  checkSequences(c, ordered, profile, options.callStarts);
  checkRouting(c, ordered);
  if (options.mockAttribution === true) checkRefreshAfter401(c, ordered);
  const inProfile = new Set(ruleIdsInProfile(profile));
  return c.results().filter((r) => inProfile.has(r.ruleId));
}

/** URL.ROUTING.001 / URL.ROUTING.002, per case (routing-checks.ts). */
function checkRouting(c: Collector, ordered: readonly ObservedRequest[]): void {
  const groups = new Map<string, ObservedRequest[]>();
  for (const e of ordered) groups.set(groupKey(e), [...(groups.get(groupKey(e)) ?? []), e]);
  for (const group of groups.values()) {
    for (const f of routingFindings(group)) {
      if (f.ok) c.judge(f.rule, f.entry);
      else c.fail(f.rule, f.entry, f.what, f.expected, f.actual);
    }
  }
}

/** HDR.UNIQUE.001: Authorization, ChatGPT-Account-ID and X-OpenAI-Fedramp at most once each. */
function checkUnique(c: Collector, e: ObservedRequest): void {
  if (!carriesIdentityHeader(e)) return;
  c.judge('HDR.UNIQUE.001', e);
  for (const r of repeatedIdentityHeaders(e)) {
    c.fail('HDR.UNIQUE.001', e, `${r.name} repeated`, `at most one ${r.name} (one line, one value)`, `${r.count} ${e.headerLines?.[r.name] !== undefined ? 'header lines' : 'comma-joined values'}`);
  }
}

/** Header values a client must never send: blank, padded or placeholder ids and credentials. */
function checkValues(c: Collector, e: ObservedRequest): void {
  const account = e.headers['chatgpt-account-id'];
  if (account !== undefined && account.trim() !== '' && (account !== account.trim() || PLACEHOLDER.test(account.trim()))) {
    c.fail('HDR.ACCOUNT.002', e, 'ChatGPT-Account-ID value', 'an account id or no header', JSON.stringify(account));
  }
  const auth = e.headers['authorization'];
  const m = auth === undefined ? null : /^(Bearer|AgentAssertion)\s+(.*)$/.exec(auth);
  if (m !== null && PLACEHOLDER.test((m[2] ?? '').trim())) {
    const rule = m[1] === 'Bearer' ? 'HDR.BEARER.001' : 'HDR.AGENT.001';
    c.fail(rule, e, `${m[1]} credential`, 'a credential', JSON.stringify(`${m[1]} ${(m[2] ?? '').trim()}`));
  }
}

/** The mock's verdict on the credential: a Bearer token it never issued is not the mode's own token. */
function checkAttribution(c: Collector, e: ObservedRequest, kind: EndpointKind): void {
  const cred = e.credential;
  if (cred.kind !== 'bearer' || kind === 'oauthToken' || kind === 'jwks' || kind === 'taskRegistration') return;
  if (e.headers['authorization'] === undefined) return;
  c.judge('HDR.BEARER.001', e);
  if (cred.issued === undefined) {
    c.fail('HDR.BEARER.001', e, 'Bearer credential', 'a token the backend issued for this client (API key or access token)', `a token the mock never issued (${cred.fingerprint}${e.verdict.reason !== undefined ? `, answered ${e.verdict.status} ${e.verdict.reason}` : ''})`);
  }
}

/**
 * REFRESH.401.003 from the mock's side: a managed ChatGPT token the backend answers 401 twice (the
 * retry after the reload was refused too) must be refreshed next. A single 401 needs no refresh:
 * the source's recovery reloads auth.json and retries first.
 */
function checkRefreshAfter401(c: Collector, ordered: readonly ObservedRequest[]): void {
  const groups = new Map<string, ObservedRequest[]>();
  for (const e of ordered) groups.set(groupKey(e), [...(groups.get(groupKey(e)) ?? []), e]);
  for (const group of groups.values()) {
    const rejected = (o: ObservedRequest): boolean => o.verdict.status === 401 && endpointKind(o.url) === 'codexBackend' && o.credential.kind === 'bearer' && o.credential.issued?.tokenKind === 'chatgptAccess';
    for (const e of group.filter(rejected)) {
      const fp = e.credential.kind === 'bearer' ? e.credential.fingerprint : '';
      const again = group.find((o) => o.seq > e.seq && rejected(o) && o.credential.kind === 'bearer' && o.credential.fingerprint === fp);
      if (again === undefined) continue;
      c.judge('REFRESH.401.003', again);
      const refreshed = group.some((o) => o.seq > again.seq && endpointKind(o.url) === 'oauthToken');
      if (!refreshed) c.fail('REFRESH.401.003', again, 'a managed ChatGPT access token answered 401 again after the retry', 'a token refresh, then a retry with the new token', 'no token refresh after it');
    }
  }
}

function checkEntry(c: Collector, e: ObservedRequest, kind: EndpointKind, profile: ProfileId, options: JournalCheckOptions): void {
  const h = e.headers;
  const auth = h['authorization'];
  const account = h['chatgpt-account-id'];
  const fedramp = h['x-openai-fedramp'];
  const backendish = kind === 'codexBackend' || kind === 'appsMcp';

  if (fedramp !== undefined) {
    c.judge('HDR.FEDRAMP.002', e);
    if (fedramp !== 'true') c.fail('HDR.FEDRAMP.002', e, 'X-OpenAI-Fedramp value', '"true" or no header', JSON.stringify(fedramp));
  }
  if (account !== undefined) {
    c.judge('HDR.ACCOUNT.002', e);
    if (account.trim() === '') c.fail('HDR.ACCOUNT.002', e, 'ChatGPT-Account-ID value', 'a non-empty account id or no header', JSON.stringify(account));
  }

  const others = OTHER_CREDENTIAL_HEADERS.filter((n) => h[n] !== undefined);
  if (auth !== undefined || others.length > 0) {
    c.judge('HDR.AUTH.001', e);
    if (others.length > 0) c.fail('HDR.AUTH.001', e, 'extra credential headers', 'only the provider\'s authorization header', others.join(', '));
    if (auth !== undefined && !/^(Bearer|AgentAssertion) \S+$/.test(auth)) {
      c.fail('HDR.AUTH.001', e, 'authorization header', 'one "Bearer <token>" or "AgentAssertion <assertion>" credential', shownHeader('authorization', auth));
    }
  }

  if (kind === 'codexBackend' && !isPublicPluginEndpoint(e.url)) {
    c.judge('HDR.BACKEND.001', e);
    if (auth === undefined) c.fail('HDR.BACKEND.001', e, 'codex-backend request', 'an authorization header', 'no authorization header');
  }
  if (kind === 'appsMcp' && e.method === 'POST') {
    const trusted = contractAppsTrusted(profile, e.url, { chatgptBaseUrl: options.chatgptBaseUrl });
    const ruleId = appsHeaderRule(profile, trusted);
    c.judge(ruleId, e);
    if (trusted && auth === undefined) c.fail(ruleId, e, 'Codex Apps MCP request', 'the codex-backend authorization header', 'no authorization header');
    if (!trusted) {
      const sent = ['authorization', 'chatgpt-account-id', 'x-openai-fedramp'].filter((n) => h[n] !== undefined);
      if (sent.length > 0) c.fail(ruleId, e, 'Codex Apps MCP request to an untrusted origin', 'no ChatGPT credentials', sent.join(', '));
    }
  }

  const cred = e.credential;
  if (backendish) {
    const looksLikeApiKey = auth !== undefined && /^Bearer sk-/.test(auth);
    const issuedApiKey = cred.kind === 'bearer' && cred.issued?.tokenKind === 'apiKey';
    // codex-0.171: API-key model discovery asks the constant ChatGPT codex base for the catalogue by design.
    const discovery = e.method === 'GET' && (e.url.split('?')[0] ?? '') === `${CONTRACT_CHATGPT_CODEX_BASE}/models`;
    const ruleId = pickRule(profile, 'GATE.APIKEY.003', 'GATE.APIKEY.002');
    if (auth !== undefined) c.judge(ruleId, e);
    if ((issuedApiKey || looksLikeApiKey) && !(ruleId === 'GATE.APIKEY.003' && discovery)) {
      c.fail(ruleId, e, 'credential sent to the ChatGPT backend', ruleId === 'GATE.APIKEY.002' ? 'a ChatGPT or agent credential' : 'a ChatGPT or agent credential (an API key only for model discovery at https://chatgpt.com/backend-api/codex/models)', `an API key (${shownHeader('authorization', auth)})`);
    }
  }

  if (cred.kind === 'bearer' && cred.issued !== undefined) {
    const issued = cred.issued;
    if (issued.tokenKind === 'apiKey') {
      c.judge('HDR.BEARER.002', e);
      if (account !== undefined || fedramp !== undefined) {
        c.fail('HDR.BEARER.002', e, 'API-key request', 'no ChatGPT-Account-ID and no X-OpenAI-Fedramp', `ChatGPT-Account-ID ${shownHeader('chatgpt-account-id', account)}, X-OpenAI-Fedramp ${shownHeader('x-openai-fedramp', fedramp)}`);
      }
    } else if (backendish && (issued.tokenKind === 'chatgptAccess' || issued.tokenKind === 'hostAccess' || issued.tokenKind === 'personalAccessToken')) {
      checkIdentityHeaders(c, e, 'HDR.ACCOUNT.001', 'HDR.FEDRAMP.001', issued.accountId, issued.isFedramp);
    }
  }

  if (auth?.startsWith('AgentAssertion ')) {
    c.judge('HDR.AGENT.001', e);
    const token = auth.slice('AgentAssertion '.length);
    // A redacted journal (`serve --journal`) holds a keyed fingerprint, not the assertion: its
    // structure cannot be judged from the recording; the mock's attribution below still is.
    const structural = FINGERPRINT.test(token) ? undefined : checkAssertionToken(token, {}, e.caseId);
    if (structural === undefined) for (const id of STRUCTURAL_ASSERTION_RULES) c.notJudged(id, e, 'the recording holds a fingerprint of the assertion, not the assertion');
    for (const id of structural?.judged ?? []) c.judge(id, e);
    c.failures.push(...(structural?.failures ?? []).map((f) => ({ ...f, message: `${f.message} (${where(e)})` })));
    if (cred.kind === 'agentAssertion') {
      c.judge('AGENT.ASSERT.003', e);
      if (!cred.signatureValid) c.fail('AGENT.ASSERT.003', e, 'assertion signature', 'a signature that verifies under the identity key', 'the mock could not verify it');
      c.judge('AGENT.ASSERT.005', e);
      if (!cred.taskIssuedToRuntime) c.fail('AGENT.ASSERT.005', e, 'assertion task binding', 'a task id issued to this runtime', `task ${JSON.stringify(cred.taskId ?? structural?.decoded?.taskId ?? '?')} not issued to runtime ${JSON.stringify(cred.agentRuntimeId ?? structural?.decoded?.agentRuntimeId ?? '?')}`);
      if (backendish) checkIdentityHeaders(c, e, 'HDR.AGENT.002', 'HDR.AGENT.002', cred.accountId, cred.isFedramp);
    }
  } else if (cred.kind === 'agentAssertion') {
    c.fail('HDR.AGENT.001', e, 'authorization scheme', '"AgentAssertion <assertion>"', shownHeader('authorization', auth));
  }

  if (kind === 'oauthToken') {
    const ct = (h['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    const encoding = ct === 'application/json' ? 'json' : ct === 'application/x-www-form-urlencoded' ? 'form' : 'other';
    const shownCt = JSON.stringify(h['content-type'] ?? '(absent)');
    if (inProfile(profile, 'REFRESH.REQUEST.001')) {
      c.judge('REFRESH.REQUEST.001', e);
      if (e.method !== 'POST' || encoding !== 'json') c.fail('REFRESH.REQUEST.001', e, 'token refresh request', 'POST with Content-Type application/json', `${e.method} with Content-Type ${shownCt}`);
    } else {
      // The encoding production accepts is a MUST; JSON, as Codex sends, a SHOULD. The fields were
      // checked by the mock (a refresh it could not read is answered 400 invalid_request).
      c.judge('REFRESH.REQUEST.002', e);
      if (e.method !== 'POST' || encoding === 'other') c.fail('REFRESH.REQUEST.002', e, 'token refresh request', 'POST as JSON or application/x-www-form-urlencoded', `${e.method} with Content-Type ${shownCt}`);
      else if (e.verdict.status === 400 && e.verdict.reason === 'invalid_request') c.fail('REFRESH.REQUEST.002', e, 'token refresh request', 'client_id, grant_type=refresh_token and the refresh token', 'a body the token endpoint could not read (400 invalid_request)');
      c.judge('REFRESH.REQUEST.003', e);
      if (encoding !== 'json') c.fail('REFRESH.REQUEST.003', e, 'token refresh encoding', 'JSON, as Codex sends it', `Content-Type ${shownCt}`);
    }
    if (options.tokenUrl !== undefined && originAndPath(e.url) !== originAndPath(options.tokenUrl)) {
      const rule = inProfile(profile, 'REFRESH.REQUEST.001') ? 'REFRESH.REQUEST.001' : 'REFRESH.REQUEST.002';
      c.fail(rule, e, 'token endpoint', `POST ${originAndPath(options.tokenUrl)}`, `${e.method} ${originAndPath(e.url)}`);
    }
  }
}

function checkIdentityHeaders(c: Collector, e: ObservedRequest, accountRule: string, fedrampRule: string, accountId: string | undefined, isFedramp: boolean | undefined): void {
  const account = e.headers['chatgpt-account-id'];
  const fedramp = e.headers['x-openai-fedramp'];
  if (accountId !== undefined) {
    c.judge(accountRule, e);
    if (account !== accountId) c.fail(accountRule, e, 'ChatGPT-Account-ID', JSON.stringify(accountId), shownHeader('chatgpt-account-id', account));
  }
  if (isFedramp !== undefined) {
    c.judge(fedrampRule, e);
    if (isFedramp && fedramp !== 'true') c.fail(fedrampRule, e, 'X-OpenAI-Fedramp for a FedRAMP account', '"true"', shownHeader('x-openai-fedramp', fedramp));
    if (!isFedramp && fedramp !== undefined) c.fail(fedrampRule, e, 'X-OpenAI-Fedramp for a non-FedRAMP account', 'no header', shownHeader('x-openai-fedramp', fedramp));
  }
}

/** Whether a failed token-endpoint answer is permanent under the profile (REFRESH.ERROR.002). */
export function isPermanentRefreshFailure(profile: ProfileId, status: number, code: string | undefined): boolean {
  if (status === 401) return true;
  const permanent = contractFeatures(profile).permanentRefresh;
  if (permanent === 'unauthorizedOnly') return false;
  const known = ['refresh_token_expired', 'refresh_token_reused', 'refresh_token_invalidated'];
  return (code !== undefined && known.includes(code)) || (permanent === 'knownCodesAndInvalidGrant' && status === 400 && code === 'invalid_grant');
}

/** Registration statuses the source retries after (0.171.0: 429, 5xx; a transport error leaves no answer). */
function isRetryableRegistration(status: number): boolean {
  return status === 429 || status >= 500 || status === 0;
}

/** Rules over the order of requests within one case (or the whole journal without case ids). */
function checkSequences(c: Collector, ordered: readonly ObservedRequest[], profile: ProfileId, callStarts: readonly number[] | undefined): void {
  const callOf = (seq: number): number => (callStarts === undefined ? 0 : callStarts.filter((start) => seq > start).length);
  const maxAttempts = contractFeatures(profile).registrationAttempts;
  const groups = new Map<string, ObservedRequest[]>();
  for (const e of ordered) groups.set(groupKey(e), [...(groups.get(groupKey(e)) ?? []), e]);
  for (const group of groups.values()) {
    const registrations = new Map<string, ObservedRequest[]>();
    for (const e of group) {
      const rt = endpointKind(e.url) === 'taskRegistration' && e.method === 'POST' ? registrationRuntimeId(e.url) : undefined;
      if (rt !== undefined) registrations.set(rt, [...(registrations.get(rt) ?? []), e]);
    }
    const jwksSeqs = group.filter((e) => endpointKind(e.url) === 'jwks').map((e) => e.seq);
    for (const [rt, regs] of registrations) {
      // AGENT.TASK.004 (per call): a retry follows only a retryable failure, within the source's attempts.
      let run = 0;
      let previous: ObservedRequest | undefined;
      for (const r of callStarts === undefined ? [] : regs) {
        const ok = r.verdict.status >= 200 && r.verdict.status < 300;
        const retry = previous !== undefined && callOf(previous.seq) === callOf(r.seq) && !jwksSeqs.some((j) => j > previous!.seq && j < r.seq);
        run = retry ? run + 1 : 1;
        c.judge('AGENT.TASK.004', r);
        if (retry && !isRetryableRegistration(previous!.verdict.status)) {
          c.fail('AGENT.TASK.004', r, `task registration retry for runtime ${JSON.stringify(rt)}`, 'a retry only after 429, 5xx or a transport error', `a retry after ${previous!.verdict.status}`);
        } else if (run > maxAttempts) {
          c.fail('AGENT.TASK.004', r, `task registration for runtime ${JSON.stringify(rt)}`, `at most ${maxAttempts} attempt(s) per load`, `attempt ${run}`);
        }
        previous = ok ? undefined : r;
      }
      // AGENT.TASK.005 (codex-0.171): each load verifies the JWT (one JWKS fetch), then registers once.
      if (inProfile(profile, 'AGENT.TASK.005')) {
        const successes = regs.filter((r) => r.verdict.status >= 200 && r.verdict.status < 300);
        let lastLoad = -1;
        let registeredThisLoad = false;
        for (const r of successes) {
          const load = Math.max(-1, ...jwksSeqs.filter((j) => j < r.seq));
          if (load !== lastLoad) {
            lastLoad = load;
            registeredThisLoad = false;
          }
          c.judge('AGENT.TASK.005', r);
          if (registeredThisLoad) c.fail('AGENT.TASK.005', r, `task registration for runtime ${JSON.stringify(rt)}`, 'one successful registration per load (per JWKS verification)', 'a second successful registration with no new verification in between');
          registeredThisLoad = true;
        }
      }
    }
    const firstJwks = group.find((e) => endpointKind(e.url) === 'jwks');
    let refreshedOk = false;
    const rejected = new Set<string>();
    let permanentRefreshFailure: ObservedRequest | undefined;
    for (const e of group) {
      const kind = endpointKind(e.url);
      const auth = e.headers['authorization'];
      if (auth?.startsWith('AgentAssertion ') && e.credential.kind === 'agentAssertion' && e.credential.agentRuntimeId !== undefined) {
        const regs = registrations.get(e.credential.agentRuntimeId);
        if (regs !== undefined) {
          c.judge('AGENT.TASK.003', e);
          if (regs.every((r) => r.seq > e.seq)) c.fail('AGENT.TASK.003', e, 'AgentAssertion request', 'task registration first', `registration at #${regs[0]?.seq ?? '?'}, after this request`);
        }
      }
      if (auth?.startsWith('AgentAssertion ') && firstJwks !== undefined) {
        c.judge('AGENT.JWT.002', e);
        if (firstJwks.seq > e.seq) c.fail('AGENT.JWT.002', e, 'AgentAssertion request', 'the JWKS fetched first', `JWKS fetched at #${firstJwks.seq}, after this request`);
      }
      if (kind === 'oauthToken') {
        if (permanentRefreshFailure !== undefined) {
          c.fail('REFRESH.ERROR.002', e, 'token refresh', 'no new refresh after a permanent failure', `a refresh after the failure at #${permanentRefreshFailure.seq}`);
        } else if (!(e.verdict.status >= 200 && e.verdict.status < 300) && isPermanentRefreshFailure(profile, e.verdict.status, e.verdict.reason)) {
          permanentRefreshFailure = e;
          c.judge('REFRESH.ERROR.002', e);
        }
        if (e.verdict.status >= 200 && e.verdict.status < 300) refreshedOk = true;
        continue;
      }
      if (kind === 'codexBackend' && e.credential.kind === 'bearer') {
        if (refreshedOk && rejected.size > 0) {
          c.judge('REFRESH.TOKEN.001', e);
          if (rejected.has(e.credential.fingerprint)) c.fail('REFRESH.TOKEN.001', e, 'bearer after a refresh', 'the new access token', `the token the backend rejected (${e.credential.fingerprint})`);
        }
        if (e.verdict.status === 401) rejected.add(e.credential.fingerprint);
      }
    }
  }
}
