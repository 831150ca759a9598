/**
 * Pure checkers: judge what reached the mock against an Expectation (checkObserved), or judge a
 * journal with no case knowledge (checkJournal, re-exported). Conformance failures are data:
 * every function returns RuleResult[] and throws only on harness misuse.
 */
import type { CodexAuth } from '../auth/codex-auth.js';
import { checkAssertionToken, type AssertionExpectations } from './assertion-checks.js';
import { contractAuthapiBase, contractJwksUrl, isProductionHost, CONTRACT_CHATGPT_CODEX_BASE, CONTRACT_OPENAI_API_BASE } from './contract/urls.js';
import { modeFacts } from './contract/modes.js';
import { contractFeatures } from './contract/features.js';
import { pickRule } from './catalogue.js';
import type { ProfileId } from './profiles.js';
import { ed25519PublicKey, type Ed25519KeyInput } from './ed25519-key.js';
import { endpointKind, registrationRuntimeId } from './endpoint-kind.js';
import { type Expectation, type ExpectationConfig, type ExpectedHeaders } from './expectations.js';
import type { ObservedRequest } from './observed-request.js';
import { fail, pass, shownHeader, skip, withPasses, type RuleResult } from './result.js';

export { checkJournal } from './check-journal.js';
export { harToObserved } from './har.js';
export type { RuleResult } from './result.js';

export interface CheckContext {
  readonly auth: CodexAuth;
  /** The contract profile judged. */
  readonly profile: ProfileId;
  /** Task ids the mock issued, per agent runtime id (or a flat list for the identity in use). */
  readonly taskIdsIssued?: ReadonlyMap<string, readonly string[]> | readonly string[];
  /** The identity's Ed25519 public key; derived from the JWT claims' private key when absent. */
  readonly agentPublicKey?: Ed25519KeyInput;
  /** Config of the case, to judge auxiliary traffic (task registration, JWKS) by URL. */
  readonly config?: ExpectationConfig;
  readonly caseId?: string;
  readonly now?: Date;
}

export { isProductionHost } from './contract/urls.js';

const AUX_KINDS = new Set(['jwks', 'taskRegistration', 'oauthToken', 'whoami']);

export function checkObserved(observed: readonly ObservedRequest[], expectation: Expectation, ctx: CheckContext): RuleResult[] {
  const aux = checkAuxiliary(observed, ctx);
  if (expectation.kind === 'refuse') return [...checkRefusal(observed, expectation, ctx), ...aux];
  return [...checkSend(observed, expectation, ctx), ...aux];
}

function describe(o: ObservedRequest): string {
  return `${o.method} ${o.url}`;
}

function checkRefusal(observed: readonly ObservedRequest[], exp: Extract<Expectation, { kind: 'refuse' }>, ctx: CheckContext): RuleResult[] {
  const sent = observed.filter((o) => !AUX_KINDS.has(endpointKind(o.url)));
  const first = sent[0];
  if (first === undefined) return [pass(exp.ruleId, `${exp.ruleId} refused without a request (${exp.reason})`, ctx.caseId)];
  const authz = shownHeader('authorization', first.headers['authorization']);
  return [fail(exp.ruleId, `gate (${exp.reason})`, 'a refusal with no request', `${sent.length} request(s), first ${describe(first)} with authorization ${authz}`, ctx.caseId)];
}

function sameTarget(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

function checkSend(observed: readonly ObservedRequest[], exp: Extract<Expectation, { kind: 'send' }>, ctx: CheckContext): RuleResult[] {
  const failures: RuleResult[] = [];
  const expKind = endpointKind(exp.url);
  const primary = observed.filter((o) => expKind === 'taskRegistration' || !AUX_KINDS.has(endpointKind(o.url)));
  const targets = [exp.url, ...(exp.alternatives ?? [])];
  const match = primary.find((o) => o.method === exp.method && targets.some((t) => sameTarget(o.url, t)));
  const candidate = match ?? primary.find((o) => o.method === exp.method) ?? primary[0];

  if (candidate === undefined) {
    if (exp.optional === true) return [];
    const missing = [fail('URL.PATH.001', 'request', `${exp.method} ${exp.url}`, 'no request at all', ctx.caseId)];
    if (exp.rules.includes('GATE.AGENT.001')) missing.push(fail('GATE.AGENT.001', 'agentIdentity on a codex-backend callsite', `${exp.method} ${exp.url}`, 'no request (refused?)', ctx.caseId));
    if (exp.rules.includes('GATE.BACKEND.001')) missing.push(fail('GATE.BACKEND.001', `${ctx.auth.mode} on a codex-backend callsite`, `${exp.method} ${exp.url}`, 'no request (refused?)', ctx.caseId));
    const reported = new Set(missing.map((m) => m.ruleId));
    return [...missing, ...exp.rules.filter((id) => !reported.has(id)).map((id) => skip(id, `${id} not judged: no request was sent`, ctx.caseId))];
  }

  if (match === undefined) {
    const ruleId = classifyUrlMismatch(exp.url, candidate.url, exp.rules, candidate.method !== exp.method, exp.otherStyleUrl);
    failures.push(fail(ruleId, 'request target', `${exp.method} ${targets.join(' or ')}`, describe(candidate), ctx.caseId));
    // API-key model traffic to the wrong base breaks the API-key rule too (URL.MODEL.001 precedes it).
    const apiKeyRule = exp.rules.find((id) => id === 'URL.APIKEY.001' || id === 'URL.APIKEY.002');
    if (apiKeyRule !== undefined && (ruleId === 'URL.MODEL.001' || ruleId === 'URL.BASE.003')) {
      failures.push(fail(apiKeyRule, 'API-key model request target', `${exp.method} ${targets.join(' or ')}`, describe(candidate), ctx.caseId));
    }
  }
  const headerFailures = checkHeaders(candidate, exp.headers, ctx, exp.rules);
  failures.push(...headerFailures);
  // Codex Apps on a trusted origin (or with no origin gate) carries the mode's codex-backend headers:
  // a wrong header set there breaks the Apps rule as well as the mode's own header rule.
  const appsRule = exp.rules.find((id) => id === 'HDR.APPS.001' || id === 'HDR.APPS.002');
  const wrongHeaders = [...new Set(headerFailures.filter((f) => f.verdict === 'fail' && f.ruleId.startsWith('HDR.')).map((f) => f.ruleId))];
  if (appsRule !== undefined && wrongHeaders.length > 0) {
    failures.push(fail(appsRule, `Codex Apps MCP request ${describe(candidate)}`, 'the codex-backend auth headers of the mode', `a header set that breaks ${wrongHeaders.join(', ')}`, ctx.caseId));
  }

  if (exp.rules.includes('URL.BASE.003') && ctx.config !== undefined) {
    // Registration, JWKS and token refresh have their own URL rules (URL.AGENT.*, the refresh override).
    for (const o of observed.filter((x) => !AUX_KINDS.has(endpointKind(x.url)))) {
      const u = safeUrl(o.url);
      if (u === undefined || !isProductionHost(u.hostname) || byDesignOnProductionHost(o, ctx)) continue;
      failures.push(fail('URL.BASE.003', 'request to a production host although another ChatGPT base is configured', `only ${ctx.config.chatgptBaseUrl ?? '?'} (and what the source sends to a constant host by design)`, describe(o), ctx.caseId));
    }
  }
  return withPasses(failures, exp.rules, (id) => `${id} held for ${describe(candidate)}`, ctx.caseId);
}

/**
 * Requests the source sends to a production host whatever chatgpt_base_url says (URL.BASE.003):
 * model traffic without openai_base_url (CHATGPT_CODEX_BASE_URL for codex-backend auth, the OpenAI
 * API for API keys), the public curated-plugins export, and in codex-0.171 API-key model discovery.
 */
function byDesignOnProductionHost(o: ObservedRequest, ctx: CheckContext): boolean {
  const url = o.url.split('?')[0] ?? o.url;
  if (/^https:\/\/chatgpt\.com\/backend-api\/plugins\/export\/curated\/?$/.test(url)) return true;
  if (ctx.config?.openaiBaseUrl !== undefined) return false;
  const model = url === `${CONTRACT_CHATGPT_CODEX_BASE}/responses` || url === `${CONTRACT_CHATGPT_CODEX_BASE}/models`;
  if (model && modeFacts(ctx.auth.mode).usesCodexBackend) return true;
  // API-key model traffic without openai_base_url goes to the OpenAI default base, not a ChatGPT host.
  if (ctx.auth.mode === 'apiKey' && (url === `${CONTRACT_OPENAI_API_BASE}/responses` || url === `${CONTRACT_OPENAI_API_BASE}/models`)) return true;
  return model && ctx.auth.mode === 'apiKey' && contractFeatures(ctx.profile).apiKeyModelDiscovery && url.endsWith('/models');
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Names the URL rule a wrong target violates, in a fixed precedence (docs/verdict-precedence.md):
 *  1. another origin: URL.BASE.003 (a production host although another base is configured), then
 *     the target's own rule (URL.AGENT.*, URL.MODEL.001, URL.APIKEY.*, URL.APPS.001, URL.BASE.001);
 *  2. the same path with another method: URL.PATH.001;
 *  3. the other path style (`/wham/` vs `/api/codex/`, or exactly the callsite's URL under the
 *     other style, e.g. `/files` vs `/api/files`): URL.STYLE.001;
 *  4. an unnormalized path (doubled `/`, a kept remote-control suffix, a trailing `/`): URL.NORM.*;
 *  5. the same endpoint under another prefix: the base rule; another endpoint: URL.PATH.001.
 */
export function classifyUrlMismatch(expected: string, actual: string, rules: readonly string[], methodDiffers: boolean, otherStyleUrl?: string): string {
  const e = safeUrl(expected);
  const a = safeUrl(actual);
  const has = (id: string): boolean => rules.includes(id);
  const first = (...ids: string[]): string => ids.find(has) ?? 'URL.PATH.001';
  if (e === undefined || a === undefined) return 'URL.PATH.001';
  if (e.origin !== a.origin) {
    if (isProductionHost(a.hostname) && !isProductionHost(e.hostname) && has('URL.BASE.003')) return 'URL.BASE.003';
    return first('URL.AGENT.003', 'URL.AGENT.005', 'URL.MODEL.001', 'URL.APIKEY.002', 'URL.APIKEY.001', 'URL.APPS.001', 'URL.BASE.001');
  }
  if (e.pathname === a.pathname && methodDiffers) return 'URL.PATH.001';
  const p = a.pathname;
  const o = otherStyleUrl === undefined ? undefined : safeUrl(otherStyleUrl);
  if (has('URL.STYLE.001') && o !== undefined && o.origin === a.origin && o.pathname === p) return 'URL.STYLE.001';
  const styleOf = (path: string): string | undefined => (path.includes('/wham/') ? 'wham' : path.includes('/api/codex/') ? 'codexApi' : undefined);
  if (has('URL.STYLE.001') && styleOf(p) !== undefined && styleOf(e.pathname) !== undefined && styleOf(p) !== styleOf(e.pathname)) return 'URL.STYLE.001';
  const unnormalized = p.includes('//') || /\/wham\/remote\/control\/server/.test(p.replace(/\/wham\/remote\/control\/server\/enroll$/, '')) || /\/codex\/(wham|api\/codex)\//.test(p) || (p.endsWith('/') && !e.pathname.endsWith('/'));
  if (unnormalized && (has('URL.NORM.001') || has('URL.NORM.002'))) return first('URL.NORM.002', 'URL.NORM.001');
  // The same endpoint under another prefix is a base mistake; another endpoint is a path mistake.
  const last = (path: string): string => path.replace(/\/+$/, '').split('/').pop() ?? '';
  return last(p) === last(e.pathname)
    ? first('URL.APPS.001', 'URL.AGENT.003', 'URL.AGENT.005', 'URL.MODEL.001', 'URL.APIKEY.002', 'URL.APIKEY.001', 'URL.BASE.001')
    : first('URL.APPS.001', 'URL.AGENT.003', 'URL.AGENT.005', 'URL.PATH.001');
}

function headerRule(auth: CodexAuth, name: string, wantAbsent: boolean, rules: readonly string[]): string {
  if (rules.includes('HDR.APPS.003')) return 'HDR.APPS.003';
  if (auth.mode === 'headers') return 'HDR.HEADERS.001';
  if (name === 'authorization') return auth.mode === 'agentIdentity' ? 'HDR.AGENT.001' : auth.mode === 'personalAccessToken' ? 'HDR.PAT.001' : 'HDR.BEARER.001';
  if (name === 'chatgpt-account-id' || name === 'x-openai-fedramp') {
    if (auth.mode === 'apiKey') return 'HDR.BEARER.002';
    if (auth.mode === 'agentIdentity') return 'HDR.AGENT.002';
    if (auth.mode === 'personalAccessToken') return 'HDR.PAT.001';
    if (name === 'x-openai-fedramp') return 'HDR.FEDRAMP.001';
    return wantAbsent ? 'HDR.ACCOUNT.002' : 'HDR.ACCOUNT.001';
  }
  return 'HDR.AUTH.001';
}

function checkHeaders(r: ObservedRequest, want: ExpectedHeaders, ctx: CheckContext, rules: readonly string[]): RuleResult[] {
  const out: RuleResult[] = [];
  const where = describe(r);
  for (const [name, value] of Object.entries(want.exact)) {
    const actual = r.headers[name];
    if (actual !== value) out.push(fail(headerRule(ctx.auth, name, false, rules), `${name} on ${where}`, shownHeader(name, value), shownHeader(name, actual), ctx.caseId));
  }
  for (const [name, re] of Object.entries(want.pattern)) {
    const actual = r.headers[name];
    if (name === 'authorization' && actual?.startsWith('AgentAssertion ') === true) {
      // The right scheme: what is wrong lies in the assertion itself (AGENT.ASSERT.*), not HDR.AGENT.001.
      out.push(...checkAssertionToken(actual.slice('AgentAssertion '.length), assertionExpectations(ctx), ctx.caseId).failures);
    } else if (actual === undefined || !re.test(actual)) {
      out.push(fail(headerRule(ctx.auth, name, false, rules), `${name} on ${where}`, `a value matching ${String(re)}`, shownHeader(name, actual), ctx.caseId));
    }
  }
  for (const name of want.absent) {
    const actual = r.headers[name];
    if (actual !== undefined) out.push(fail(headerRule(ctx.auth, name, true, rules), `${name} on ${where}`, 'no header', shownHeader(name, actual), ctx.caseId));
  }
  const fedramp = r.headers['x-openai-fedramp'];
  if (fedramp !== undefined && fedramp !== 'true') out.push(fail('HDR.FEDRAMP.002', `x-openai-fedramp on ${where}`, '"true" or no header', JSON.stringify(fedramp), ctx.caseId));
  return out;
}

export function assertionExpectations(ctx: CheckContext): AssertionExpectations {
  if (ctx.auth.mode !== 'agentIdentity') return {};
  const runtime = ctx.auth.claims.agentRuntimeId;
  let publicKey;
  try {
    publicKey = ed25519PublicKey(ctx.agentPublicKey ?? { pkcs8Base64: ctx.auth.claims.agentPrivateKey });
  } catch {
    publicKey = undefined;
  }
  const issued = ctx.taskIdsIssued;
  const taskIdsIssued = issued === undefined ? undefined : isFlatList(issued) ? new Map([[runtime, issued]]) : issued;
  return {
    agentRuntimeId: runtime,
    ...(publicKey === undefined ? {} : { publicKey }),
    ...(taskIdsIssued === undefined ? {} : { taskIdsIssued }),
  };
}

function isFlatList(v: ReadonlyMap<string, readonly string[]> | readonly string[]): v is readonly string[] {
  return Array.isArray(v);
}

/**
 * Task registration and JWKS requests in the case go where the configured base says: URL.AGENT.005
 * (PR #18811: the normalized ChatGPT base), URL.AGENT.003 / URL.AGENT.002 (0.171.0: the
 * environment's authapi, the JWKS URL), URL.AGENT.004 (0.171.0: no registration at all outside
 * production and staging).
 */
function checkAuxiliary(observed: readonly ObservedRequest[], ctx: CheckContext): RuleResult[] {
  if (ctx.config === undefined || ctx.auth.mode !== 'agentIdentity') return [];
  const out: RuleResult[] = [];
  const authapi = contractAuthapiBase(ctx.profile, ctx.config);
  const registrationRule = pickRule(ctx.profile, 'URL.AGENT.003', 'URL.AGENT.005');
  const jwks = contractJwksUrl(ctx.profile, ctx.config);
  for (const o of observed) {
    const kind = endpointKind(o.url);
    if (kind === 'taskRegistration') {
      if (authapi.kind === 'unknown') continue;
      if (authapi.kind === 'refused') {
        out.push(fail('URL.AGENT.004', 'task registration with a ChatGPT base outside production and staging', `no registration (${authapi.why})`, describe(o), ctx.caseId));
        continue;
      }
      const rt = registrationRuntimeId(o.url) ?? '';
      const want = `${authapi.base}/v1/agent/${rt}/task/register`;
      out.push(sameTarget(o.url, want) ? pass(registrationRule, `${registrationRule} registration went to ${want}`, ctx.caseId) : fail(registrationRule, 'task registration target', want, o.url, ctx.caseId));
    } else if (kind === 'jwks' && jwks !== undefined) {
      out.push(sameTarget(o.url, jwks) ? pass('URL.AGENT.002', `URL.AGENT.002 JWKS fetched from ${jwks}`, ctx.caseId) : fail('URL.AGENT.002', 'JWKS fetch target', jwks, o.url, ctx.caseId));
    }
  }
  return out;
}
