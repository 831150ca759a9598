/**
 * Judges one recorded black-box run of the codex binary (what the mock journalled during one
 * turn, plus how the turn ended) into rule verdicts. Pure: no I/O, so recorded journals of every
 * mode are unit-tested without the binary.
 *
 * Two layers:
 *  1. checkJournal (src/rules/check-journal.ts): the case-free rules (headers per credential the
 *     mock attributed, GATE.APIKEY.002, AGENT.* structure and order, AGENT.TASK.001 ...).
 *  2. Mode expectations derived from the rules, knowing what the case handed the binary:
 *     HDR.BEARER.001 (the mode's own token), HDR.AGENT.001 (never Bearer), GATE.APIKEY.001,
 *     GATE.AGENT.001, GATE.APPS.001, GATE.PLAN.001, URL.BASE.001 / URL.APIKEY.001 /
 *     URL.STYLE.001 / URL.NORM.001 / URL.APPS.001 / URL.AGENT.001 / URL.AGENT.002 (every request
 *     went to the configured hosts), AGENT.ASSERT.006, AGENT.TASK.002, AGENT.JWT.001,
 *     REFRESH.EXTERNAL.001.
 * URL derivations: src/urls/derived-urls.ts (codex-rs/agent-identity/src/lib.rs,
 * codex-rs/login/src/auth/agent_identity.rs, codex-rs/codex-mcp/src/mcp/mod.rs,
 * codex-rs/backend-client/src/client.rs).
 */
import { checkJournal } from '../../../rules/check-journal.js';
import { endpointKind } from '../../../rules/endpoint-kind.js';
import { where, type ObservedRequest } from '../../../rules/observed-request.js';
import { RuleVerdicts, shownHeader, type RuleResult } from '../../../rules/result.js';
import { modeFacts } from '../../../rules/contract/modes.js';
import { requirementsPlans } from '../../../rules/contract/plans.js';
import { contractAppsUrl, contractAuthapiBase, contractBackendBase, contractJwksUrl, contractModelTarget, CONTRACT_CHATGPT_CODEX_BASE, CONTRACT_OPENAI_API_BASE } from '../../../rules/contract/urls.js';
import type { ProfileId } from '../../../rules/profiles.js';
import { pickRule } from '../../../rules/catalogue.js';
import type { RunExpectation } from './case-view.js';
import { profileCovering, profileForReleaseFeature, releaseFacts } from '../../codex-cli/release-facts.js';

/**
 * Endpoints the binary fetches without credentials by design, so HDR.BACKEND.001 does not
 * apply: the curated-plugins backup archive `GET {base}/plugins/export/curated`, the third
 * fallback of the curated plugin sync after git and the GitHub zipball
 * (codex-rs/core-plugins/src/startup_sync.rs). The fetch is racy (a background task), so judging
 * it would make the verdict flaky as well as wrong.
 */
export function isPublicUnauthenticated(url: string, mode?: string): boolean {
  try {
    const p = new URL(url).pathname;
    // Featured plugins carry auth only for codex-backend auth (core-plugins remote:
    // `if let Some(auth) = auth.filter(|auth| auth.uses_codex_backend())`), so an API key (or no
    // working auth) sends none by design.
    return /\/backend-api\/plugins\/export\/curated\/?$/.test(p) || (mode === 'apiKey' && /\/plugins\/featured\/?$/.test(p));
  } catch {
    return false;
  }
}

export interface RunConfig {
  readonly chatgptBaseUrl?: string;
  readonly openaiBaseUrl?: string;
  /** Environment handed to the binary that changes URLs (authapi override), without secrets. */
  readonly env?: Readonly<Record<string, string>>;
}

/** How the turn ended, as far as judging needs it (secrets already scrubbed). */
export interface RunSummary {
  readonly completed: boolean;
  /** e.g. `exit 0`, `exit 1: <stderr tail>`, `app-server stopped after login: <error>`. */
  readonly description: string;
}

export interface RecordedRun {
  readonly expectation: RunExpectation;
  readonly config: RunConfig;
  readonly entries: readonly ObservedRequest[];
  readonly outcome: RunSummary;
  /** The release that ran (default 0.171.0): its source facts decide release-dependent derivations. */
  readonly release?: string;
  /** What else the binary left (model requests, auth.json, host refresh requests); absent in recorded fixtures. */
  readonly observations?: import('../../codex-cli/case-recording.js').CaseObservations;
}

const WEBSOCKET = (e: ObservedRequest): boolean => (e.headers['upgrade'] ?? '').toLowerCase() === 'websocket';

/** Model traffic (`/codex/responses`, `/codex/models`, `/v1/responses`, `/v1/models`): every mode may send it. */
export function isModelTraffic(url: string): boolean {
  try {
    return /\/(codex|v1)\/(responses|models)\/?$/.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

function isChatgptBackend(e: ObservedRequest): boolean {
  const kind = endpointKind(e.url);
  return kind === 'codexBackend' || kind === 'appsMcp' || kind === 'jwks';
}

export function judgeCodexCliRun(run: RecordedRun, profile: ProfileId): RuleResult[] {
  const { expectation: x, entries, config } = run;
  const caseId = x.caseId;
  const v = new RuleVerdicts(caseId);
  const turn = run.outcome.description;
  const urlConfig = { chatgptBaseUrl: config.chatgptBaseUrl, openaiBaseUrl: config.openaiBaseUrl, env: config.env };
  const chatgptBase = contractBackendBase(urlConfig);
  const norm = pickRule(profile, 'URL.NORM.002', 'URL.NORM.001');
  const withAuth = entries.filter((e) => e.headers['authorization'] !== undefined);

  // HDR.BEARER.001: Bearer modes send `Bearer <their own token>` wherever they send a credential.
  if (x.bearer !== undefined) {
    for (const e of withAuth) {
      const auth = e.headers['authorization']!;
      if (auth !== `Bearer ${x.bearer}`) v.fail('HDR.BEARER.001', `authorization on ${where(e)}`, `Bearer with the ${x.mode} token (${shownHeader('authorization', `Bearer ${x.bearer}`)})`, shownHeader('authorization', auth));
      else v.pass('HDR.BEARER.001', `HDR.BEARER.001 every credentialed request carried the ${x.mode} Bearer token (first: ${where(e)})`);
    }
    if (withAuth.length === 0) v.fail('HDR.BEARER.001', `${x.mode} turn`, 'requests carrying the Bearer token', `no request carried a credential (${turn})`);
  }

  // HDR.AGENT.001: agent identity never falls back to a Bearer token.
  if (x.mode === 'agentIdentity') {
    for (const e of withAuth) {
      const auth = e.headers['authorization']!;
      if (!auth.startsWith('AgentAssertion ')) v.fail('HDR.AGENT.001', `authorization on ${where(e)}`, '"AgentAssertion <assertion>"', shownHeader('authorization', auth));
      else v.pass('HDR.AGENT.001', `HDR.AGENT.001 every credentialed request used AgentAssertion (first: ${where(e)})`);
    }
  }

  // GATE.APIKEY.001: in API-key mode no codex-backend-only endpoint is called with a credential.
  if (x.mode === 'apiKey') {
    const gated = entries.filter((e) => isChatgptBackend(e) && !isModelTraffic(e.url));
    for (const e of gated.filter((g) => g.headers['authorization'] !== undefined)) {
      v.fail('GATE.APIKEY.001', `codex-backend request in API-key mode ${where(e)}`, 'a refusal before any request', `sent with authorization ${shownHeader('authorization', e.headers['authorization'])}`);
    }
    const anonymous = gated.filter((g) => g.headers['authorization'] === undefined);
    v.pass('GATE.APIKEY.001', `GATE.APIKEY.001 no codex-backend-only endpoint got the API key${anonymous.length > 0 ? ` (${anonymous.length} unauthenticated request(s), e.g. ${where(anonymous[0]!)})` : ''}`);
  }

  // GATE.AGENT.001: codex-backend callsites admit agent identity: model traffic went through.
  if (x.mode === 'agentIdentity' && !x.forgedJwt) {
    const served = entries.find((e) => endpointKind(e.url) === 'codexBackend' && (e.headers['authorization'] ?? '').startsWith('AgentAssertion ') && e.verdict.status >= 200 && e.verdict.status < 300);
    if (served === undefined) v.fail('GATE.AGENT.001', 'agent identity on the codex backend', 'AgentAssertion requests to the codex backend', `none answered 2xx (${turn})`);
    else v.pass('GATE.AGENT.001', `GATE.AGENT.001 agent identity reached the codex backend (${where(served)})`);
  }

  // AGENT.JWT.001: an identity JWT that does not verify is refused before any AgentAssertion request.
  if (x.mode === 'agentIdentity' && x.forgedJwt) {
    const asserted = entries.filter((e) => (e.headers['authorization'] ?? '').startsWith('AgentAssertion '));
    const registered = entries.filter((e) => endpointKind(e.url) === 'taskRegistration');
    if (asserted.length > 0) v.fail('AGENT.JWT.001', 'identity JWT signed outside the JWKS', 'no AgentAssertion request', `${asserted.length} AgentAssertion request(s), first ${where(asserted[0]!)}`);
    else if (registered.length > 0) v.fail('AGENT.JWT.001', 'identity JWT signed outside the JWKS', 'refused before task registration', `task registration ${where(registered[0]!)}`);
    else v.pass('AGENT.JWT.001', `AGENT.JWT.001 the forged identity JWT was refused: no AgentAssertion request, no task registration (${turn})`);
  }

  // GATE.APPS.001: apps (on by default in the binary's config) only for codex-backend auth.
  const apps = entries.filter((e) => endpointKind(e.url) === 'appsMcp');
  if (x.mode === 'apiKey') {
    if (apps.length > 0) v.fail('GATE.APPS.001', 'Codex Apps in API-key mode', 'no Codex Apps request', where(apps[0]!));
    else v.pass('GATE.APPS.001', 'GATE.APPS.001 no Codex Apps request in API-key mode');
  } else if (!x.forgedJwt && run.outcome.completed) {
    if (apps.length === 0) v.fail('GATE.APPS.001', `Codex Apps with ${x.mode} auth`, 'the Codex Apps MCP connection (apps on by default)', 'no Codex Apps request');
    else v.pass('GATE.APPS.001', `GATE.APPS.001 Codex Apps enabled for ${x.mode} (${where(apps[0]!)})`);
  }

  // GATE.PLAN.001: cloud requirements only for business-like and Enterprise plans.
  if (x.plan !== undefined && !requirementsPlans(profile).has(x.plan)) {
    const req = entries.find((e) => /\/(wham\/)?config\/requirements\/?$/.test(safePath(e.url)));
    if (req !== undefined) v.fail('GATE.PLAN.001', `cloud requirements for plan ${x.plan}`, 'no request', where(req));
    else v.pass('GATE.PLAN.001', `GATE.PLAN.001 no cloud-requirements request for plan ${x.plan}`);
  }

  // URL.*: every request went to the configured hosts; model traffic and constant public URLs have their own rules.
  const backend = entries.filter((e) => isChatgptBackend(e) && !isModelTraffic(e.url) && !isPublicUnauthenticated(e.url));
  for (const e of backend) {
    if (!e.url.startsWith(`${chatgptBase}/`)) v.fail('URL.BASE.001', `ChatGPT-backend request ${where(e)}`, `a URL under ${chatgptBase}/`, e.url);
    else v.pass('URL.BASE.001', `URL.BASE.001 every backend-client and Apps request went under ${chatgptBase}/ (first: ${where(e)})`);
    const path = safePath(e.url);
    if (path.includes('//') || /\/backend-api\/backend-api\//.test(path) || /\/codex\/(wham|api\/codex)\//.test(path)) v.fail(norm, `path of ${where(e)}`, 'the normalized base plus the callsite path', path);
    else v.pass(norm, `${norm} no request path shows an unnormalized base (first: ${where(e)})`);
    if (chatgptBase.includes('/backend-api') && path.includes('/backend-api/api/codex/')) v.fail('URL.STYLE.001', `path style of ${where(e)}`, '/wham/... under a /backend-api base', path);
    else if (path.includes('/wham/')) v.pass('URL.STYLE.001', `URL.STYLE.001 backend-client paths under /backend-api use /wham/ (first: ${where(e)})`);
  }
  // URL.MODEL.001: model traffic goes to openai_base_url, else the constant base of the mode.
  // A refused identity JWT leaves the binary with no auth at all: `to_api_provider(None)` picks the OpenAI API base.
  const effectivelyCodexBackend = modeFacts(x.mode).usesCodexBackend && x.forgedJwt !== true;
  const modelBase = (config.openaiBaseUrl ?? (effectivelyCodexBackend ? CONTRACT_CHATGPT_CODEX_BASE : CONTRACT_OPENAI_API_BASE)).replace(/\/+$/u, '');
  for (const e of entries.filter((m) => isModelTraffic(m.url) && !WEBSOCKET(m))) {
    const discovery = x.mode === 'apiKey' && contractModelTarget(profile, 'apiKey', 'models', urlConfig);
    const allowed = [`${modelBase}/`, ...(discovery !== false && discovery.kind === 'url' ? [discovery.url] : [])];
    if (!allowed.some((a) => e.url.startsWith(a))) v.fail('URL.MODEL.001', `model request ${where(e)}`, `a URL under ${modelBase}/`, e.url);
    else v.pass('URL.MODEL.001', `URL.MODEL.001 model traffic went to ${modelBase}/ (first: ${where(e)})`);
  }
  // The profile decides the Apps path; a release no profile covers (matrix, between ranges) takes its own path (release-facts.ts).
  const appsProfile = run.release === undefined || profileCovering(run.release) !== undefined ? profile : profileForReleaseFeature(profile, 'appsPath', releaseFacts(run.release).appsVariant);
  for (const e of apps) {
    const want = contractAppsUrl(appsProfile, urlConfig);
    if (safeOriginPath(e.url) !== want) v.fail('URL.APPS.001', `Codex Apps request ${where(e)}`, want, e.url);
    else v.pass('URL.APPS.001', `URL.APPS.001 Codex Apps requests went to ${want}`);
  }
  if (x.mode === 'apiKey') {
    const rule = pickRule(profile, 'URL.APIKEY.002', 'URL.APIKEY.001');
    const openai = (config.openaiBaseUrl ?? CONTRACT_OPENAI_API_BASE).replace(/\/+$/u, '');
    // codex-0.171: API-key model discovery asks the constant ChatGPT codex base for the catalogue by design.
    const discovery = contractModelTarget(profile, 'apiKey', 'models', urlConfig);
    const allowed = [`${openai}/`, ...(discovery.kind === 'url' && !discovery.url.startsWith(`${openai}/`) ? [discovery.url] : [])];
    for (const e of withAuth.filter((w) => w.headers['authorization'] === `Bearer ${x.bearer ?? ''}`)) {
      if (!allowed.some((a) => e.url.startsWith(a))) v.fail(rule, `API-key request ${where(e)}`, `a URL under the OpenAI base ${openai}/${allowed.length > 1 ? ` (or model discovery at ${allowed[1]})` : ''}`, e.url);
      else v.pass(rule, `${rule} API-key traffic went to ${allowed.join(' or ')} (first: ${where(e)})`);
    }
  }
  if (x.mode === 'agentIdentity' && x.agentRuntimeId !== undefined) {
    const authapi = contractAuthapiBase(profile, urlConfig);
    const registrationRule = pickRule(profile, 'URL.AGENT.003', 'URL.AGENT.005');
    const wantRegistration = authapi.kind === 'url' ? `${authapi.base}/v1/agent/${x.agentRuntimeId}/task/register` : undefined;
    const wantJwks = contractJwksUrl(profile, urlConfig);
    for (const e of entries) {
      const kind = endpointKind(e.url);
      if (kind === 'taskRegistration') {
        if (wantRegistration === undefined) {
          if (authapi.kind === 'refused') v.fail('URL.AGENT.004', `task registration ${where(e)}`, `no registration (${authapi.why})`, e.url);
        } else if (safeOriginPath(e.url) !== wantRegistration) v.fail(registrationRule, `task registration ${where(e)}`, wantRegistration, e.url);
        else v.pass(registrationRule, `${registrationRule} task registration went to ${wantRegistration}`);
        // AGENT.TASK.002: the mock verified body and signature.
        if (e.verdict.status >= 200 && e.verdict.status < 300) v.pass('AGENT.TASK.002', `AGENT.TASK.002 the mock verified the registration body and signature (${where(e)})`);
        else if (e.verdict.reason !== 'registration_replayed') v.fail('AGENT.TASK.002', `task registration ${where(e)}`, 'POST {timestamp, signature} verifying under the identity key', `${e.verdict.status} ${e.verdict.reason ?? ''}`.trim());
      } else if (kind === 'jwks' && wantJwks !== undefined) {
        if (safeOriginPath(e.url) !== wantJwks) v.fail('URL.AGENT.002', `JWKS fetch ${where(e)}`, wantJwks, e.url);
        else v.pass('URL.AGENT.002', `URL.AGENT.002 the JWKS was fetched from ${wantJwks}`);
      }
    }
    // AGENT.ASSERT.006: the assertion names the identity's own runtime.
    for (const e of entries) {
      const cred = e.credential;
      if (cred.kind !== 'agentAssertion') continue;
      if (cred.agentRuntimeId !== x.agentRuntimeId) v.fail('AGENT.ASSERT.006', `agent_runtime_id on ${where(e)}`, JSON.stringify(x.agentRuntimeId), JSON.stringify(cred.agentRuntimeId ?? '(unreadable)'));
      else v.pass('AGENT.ASSERT.006', `AGENT.ASSERT.006 every assertion named the identity's runtime (first: ${where(e)})`);
    }
  }

  // REFRESH.EXTERNAL.*: only managed ChatGPT auth may call the OAuth token endpoint.
  if (!modeFacts(x.mode).refreshedByClient) {
    const rule = ['apiKey', 'chatgptAuthTokens', 'agentIdentity'].includes(x.mode) ? 'REFRESH.EXTERNAL.001' : 'REFRESH.EXTERNAL.002';
    const refresh = entries.find((e) => endpointKind(e.url) === 'oauthToken');
    if (refresh !== undefined) v.fail(rule, `${x.mode} auth`, 'no OAuth token request', where(refresh));
    else v.pass(rule, `${rule} ${x.mode} made no OAuth token request`);
  }

  // Case-free rules (the public plugin catalogue is exempt from HDR.BACKEND.001 there).
  const fromJournal: RuleResult[] = checkJournal(entries, { profile, ...(config.chatgptBaseUrl !== undefined ? { chatgptBaseUrl: config.chatgptBaseUrl } : {}) }).map((r) => ({ ...r, caseId }));
  return [...fromJournal, ...v.results()];
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function safeOriginPath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/** WebSocket upgrade attempts, for evidence (the binary falls back to SSE). */
export function websocketAttempts(entries: readonly ObservedRequest[]): number {
  return entries.filter(WEBSOCKET).length;
}
