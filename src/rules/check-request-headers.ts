import { checkAssertionToken } from './assertion-checks.js';
import { pickRule } from './catalogue.js';
import { checkTokenRequest } from './check-token-request.js';
import { appsHeaderRule } from './contract/features.js';
import { contractAppsTrusted, CONTRACT_CHATGPT_CODEX_BASE } from './contract/urls.js';
import type { EndpointKind } from './endpoint-kind.js';
import { type Collector } from './journal-collector.js';
import { where } from './observed-request.js';
import type { JournalCheckOptions } from './journal-check-options.js';
import type { ObservedRequest } from './observed-request.js';
import type { ProfileId } from './profiles.js';
import { shownHeader } from './result.js';

/**
 * Per-request checks on the headers a request carries for its endpoint and credential, with no
 * knowledge of the case (check-journal.ts lists the rules): the header set per credential the mock
 * attributed, the gates of the ChatGPT backend and of Codex Apps, the AgentAssertion structure,
 * and the token request (check-token-request.ts).
 */

/** Header names that carry a credential besides `authorization` (HDR.AUTH.001). */
export const OTHER_CREDENTIAL_HEADERS = ['x-api-key', 'api-key', 'openai-api-key', 'proxy-authorization', 'agentassertion', 'agent-assertion'] as const;

/** Assertion rules that need the assertion text (003 and 005 use the mock's attribution). */
const STRUCTURAL_ASSERTION_RULES = ['AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.004', 'AGENT.ASSERT.006'] as const;
/** A keyed fingerprint as written by redacted journals (src/redact/fingerprint.ts). */
const FINGERPRINT = /^fp:[0-9a-f]{12}$/;

/** Public plugin-catalogue endpoints: the curated export never carries auth, the featured list may not. */
function isPublicPluginEndpoint(url: string): boolean {
  try {
    return /\/plugins\/(export\/curated|featured)\/?$/.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

export function checkRequestHeaders(c: Collector, e: ObservedRequest, kind: EndpointKind, profile: ProfileId, options: JournalCheckOptions): void {
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

  if (kind === 'oauthToken') checkTokenRequest(c, e, profile, options.tokenUrl);
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
