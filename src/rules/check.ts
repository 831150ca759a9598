/**
 * Pure checkers: judge what reached the mock against an Expectation (checkObserved), or judge a
 * journal with no case knowledge (checkJournal, re-exported). Conformance failures are data:
 * every function returns RuleResult[] and throws only on harness misuse.
 */
import type { CodexAuth } from '../auth/codex-auth.js';
import { agentIdentityAuthapiBaseUrl, agentJwksUrl, DEFAULT_CHATGPT_BASE_URL } from '../urls/derived-urls.js';
import { checkAssertionToken, type AssertionExpectations } from './assertion-checks.js';
import { ed25519PublicKey, type Ed25519KeyInput } from './ed25519-key.js';
import { endpointKind, registrationRuntimeId } from './endpoint-kind.js';
import type { Expectation, ExpectationConfig, ExpectedHeaders } from './expectations.js';
import type { ObservedRequest } from './observed-request.js';
import { fail, pass, shownHeader, skip, withPasses, type RuleResult } from './result.js';

export { checkJournal } from './check-journal.js';
export { harToObserved } from './har.js';
export type { RuleResult } from './result.js';

export interface CheckContext {
  readonly auth: CodexAuth;
  /** Task ids the mock issued, per agent runtime id (or a flat list for the identity in use). */
  readonly taskIdsIssued?: ReadonlyMap<string, readonly string[]> | readonly string[];
  /** The identity's Ed25519 public key; derived from the JWT claims' private key when absent. */
  readonly agentPublicKey?: Ed25519KeyInput;
  /** Config of the case, to judge auxiliary traffic (task registration, JWKS) by URL. */
  readonly config?: ExpectationConfig;
  readonly caseId?: string;
  readonly now?: Date;
}

/** Hosts of the production services: never contacted when another base is configured. */
export function isProductionHost(hostname: string): boolean {
  return ['chatgpt.com', 'chat.openai.com', 'api.openai.com', 'auth.openai.com'].includes(hostname) || hostname.endsWith('.openai.org');
}

const AUX_KINDS = new Set(['jwks', 'taskRegistration', 'oauthToken']);

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
  const match = primary.find((o) => o.method === exp.method && sameTarget(o.url, exp.url));
  const candidate = match ?? primary.find((o) => o.method === exp.method) ?? primary[0];

  if (candidate === undefined) {
    const missing = [fail('URL.PATH.001', 'request', `${exp.method} ${exp.url}`, 'no request at all', ctx.caseId)];
    if (exp.rules.includes('GATE.AGENT.001')) missing.push(fail('GATE.AGENT.001', 'agentIdentity on a codex-backend callsite', `${exp.method} ${exp.url}`, 'no request (refused?)', ctx.caseId));
    const reported = new Set(missing.map((m) => m.ruleId));
    return [...missing, ...exp.rules.filter((id) => !reported.has(id)).map((id) => skip(id, `${id} not judged: no request was sent`, ctx.caseId))];
  }

  if (match === undefined) {
    const ruleId = classifyUrlMismatch(exp.url, candidate.url, exp.rules, candidate.method !== exp.method);
    failures.push(fail(ruleId, 'request target', `${exp.method} ${exp.url}`, describe(candidate), ctx.caseId));
  }
  failures.push(...checkHeaders(candidate, exp.headers, ctx));

  if (exp.rules.includes('URL.BASE.002')) {
    const expectedOrigin = new URL(exp.url).origin;
    // Registration, JWKS and token refresh have their own URL rules (URL.AGENT.*, refresh override).
    for (const o of observed.filter((x) => !AUX_KINDS.has(endpointKind(x.url)))) {
      const u = safeUrl(o.url);
      if (u !== undefined && u.origin !== expectedOrigin && isProductionHost(u.hostname)) {
        failures.push(fail('URL.BASE.002', 'request to a default host although a base URL is configured', `only ${expectedOrigin} (and its derived hosts)`, describe(o), ctx.caseId));
      }
    }
  }
  return withPasses(failures, exp.rules, (id) => `${id} held for ${describe(candidate)}`, ctx.caseId);
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Names the URL rule a wrong target violates, most specific first. */
export function classifyUrlMismatch(expected: string, actual: string, rules: readonly string[], methodDiffers: boolean): string {
  const e = safeUrl(expected);
  const a = safeUrl(actual);
  const has = (id: string): boolean => rules.includes(id);
  if (e === undefined || a === undefined) return 'URL.PATH.001';
  if (e.origin !== a.origin) {
    if (isProductionHost(a.hostname) && !isProductionHost(e.hostname) && has('URL.BASE.002')) return 'URL.BASE.002';
    for (const id of ['URL.AGENT.001', 'URL.APIKEY.001', 'URL.BASE.001']) if (has(id)) return id;
    return 'URL.PATH.001';
  }
  if (e.pathname === a.pathname && methodDiffers) return 'URL.PATH.001';
  const p = a.pathname;
  const unnormalized = p.includes('//') || /\/wham\/remote\/control\/server/.test(p) || /\/codex\/(wham|api\/codex)\//.test(p) || (p.endsWith('/') && !e.pathname.endsWith('/'));
  if (unnormalized && has('URL.NORM.001')) return 'URL.NORM.001';
  const styleOf = (path: string): string | undefined => (path.includes('/wham/') ? 'wham' : path.includes('/api/codex/') ? 'codexApi' : undefined);
  if (has('URL.STYLE.001') && styleOf(p) !== undefined && styleOf(e.pathname) !== undefined && styleOf(p) !== styleOf(e.pathname)) return 'URL.STYLE.001';
  // The same endpoint under another prefix is a base mistake; another endpoint is a path mistake.
  const last = (path: string): string => path.replace(/\/+$/, '').split('/').pop() ?? '';
  const order = last(p) === last(e.pathname)
    ? ['URL.APPS.001', 'URL.AGENT.001', 'URL.APIKEY.001', 'URL.BASE.001', 'URL.PATH.001']
    : ['URL.APPS.001', 'URL.AGENT.001', 'URL.PATH.001', 'URL.APIKEY.001', 'URL.BASE.001'];
  for (const id of order) if (has(id)) return id;
  return 'URL.PATH.001';
}

function headerRule(auth: CodexAuth, name: string, wantAbsent: boolean): string {
  if (name === 'authorization') return auth.mode === 'agentIdentity' ? 'HDR.AGENT.001' : 'HDR.BEARER.001';
  if (name === 'chatgpt-account-id' || name === 'x-openai-fedramp') {
    if (auth.mode === 'apiKey') return 'HDR.BEARER.002';
    if (auth.mode === 'agentIdentity') return 'HDR.AGENT.002';
    if (name === 'x-openai-fedramp') return 'HDR.FEDRAMP.001';
    return wantAbsent ? 'HDR.ACCOUNT.002' : 'HDR.ACCOUNT.001';
  }
  return 'HDR.AUTH.001';
}

function checkHeaders(r: ObservedRequest, want: ExpectedHeaders, ctx: CheckContext): RuleResult[] {
  const out: RuleResult[] = [];
  const where = describe(r);
  for (const [name, value] of Object.entries(want.exact)) {
    const actual = r.headers[name];
    if (actual !== value) out.push(fail(headerRule(ctx.auth, name, false), `${name} on ${where}`, shownHeader(name, value), shownHeader(name, actual), ctx.caseId));
  }
  for (const [name, re] of Object.entries(want.pattern)) {
    const actual = r.headers[name];
    if (actual === undefined || !re.test(actual)) {
      out.push(fail(headerRule(ctx.auth, name, false), `${name} on ${where}`, `a value matching ${String(re)}`, shownHeader(name, actual), ctx.caseId));
    } else if (name === 'authorization' && actual.startsWith('AgentAssertion ')) {
      out.push(...checkAssertionToken(actual.slice('AgentAssertion '.length), assertionExpectations(ctx), ctx.caseId).failures);
    }
  }
  for (const name of want.absent) {
    const actual = r.headers[name];
    if (actual !== undefined) out.push(fail(headerRule(ctx.auth, name, true), `${name} on ${where}`, 'no header', shownHeader(name, actual), ctx.caseId));
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

/** Task registration and JWKS requests in the case go where the configured base says (URL.AGENT.*). */
function checkAuxiliary(observed: readonly ObservedRequest[], ctx: CheckContext): RuleResult[] {
  if (ctx.config === undefined || ctx.auth.mode !== 'agentIdentity') return [];
  const out: RuleResult[] = [];
  const authapi = agentIdentityAuthapiBaseUrl(ctx.config.chatgptBaseUrl, ctx.config.env ?? {});
  const jwks = agentJwksUrl(ctx.config.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL);
  for (const o of observed) {
    const kind = endpointKind(o.url);
    if (kind === 'taskRegistration') {
      const rt = registrationRuntimeId(o.url) ?? '';
      const want = `${authapi}/v1/agent/${rt}/task/register`;
      out.push(sameTarget(o.url, want) ? pass('URL.AGENT.001', `URL.AGENT.001 registration went to ${want}`, ctx.caseId) : fail('URL.AGENT.001', 'task registration target', want, o.url, ctx.caseId));
    } else if (kind === 'jwks') {
      out.push(sameTarget(o.url, jwks) ? pass('URL.AGENT.002', `URL.AGENT.002 JWKS fetched from ${jwks}`, ctx.caseId) : fail('URL.AGENT.002', 'JWKS fetch target', jwks, o.url, ctx.caseId));
    }
  }
  return out;
}
