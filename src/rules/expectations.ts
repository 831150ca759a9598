/**
 * What a conforming client sends (or refuses) for one callsite under one auth and config,
 * derived from the RULES alone: the gate rules (GATE.*), the header rules (HDR.*) and the URL
 * rules (URL.*). It never calls an AuthProvider or the reference client's request builder, so
 * the reference implementation is judged against the rules, not against itself.
 *
 * Sources: codex-rs/model-provider/src/bearer_auth_provider.rs (header set),
 * codex-rs/agent-identity/src/lib.rs (AgentAssertion), codex-rs/login/src/auth/manager.rs
 * (uses_codex_backend), codex-rs/codex-mcp/src/mcp/mod.rs (apps gate and URL),
 * codex-rs/backend-client/src/client.rs (path style), codex-rs/codex-api/src/files.rs (upload).
 */
import { accountId, isFedrampAccount, planType, usesCodexBackend } from '../auth/auth-getters.js';
import type { CodexAuth } from '../auth/codex-auth.js';
import { assertNever } from '../assert-never.js';
import { callsiteById } from '../callsites/catalog.js';
import type { Callsite, HttpMethod } from '../callsites/callsite.js';
import { ConformanceInputError } from '../errors.js';
import {
  agentIdentityAuthapiBaseUrl,
  appsMcpUrl,
  backendUrl,
  DEFAULT_CHATGPT_BASE_URL,
  modelApiBase,
} from '../urls/derived-urls.js';
import { normalizeChatgptBaseUrl } from '../urls/normalize-chatgpt-base-url.js';
import { OTHER_CREDENTIAL_HEADERS } from './check-journal.js';

export interface ExpectationConfig {
  readonly chatgptBaseUrl?: string;
  readonly openaiBaseUrl?: string;
  readonly appsEnabled?: boolean;
  /** Process environment the client sees (CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ExpectedHeaders {
  /** Header name (lower-case) -> exact value. */
  readonly exact: Record<string, string>;
  /** Header name -> pattern the value must match (plus structural checks in the checker). */
  readonly pattern: Record<string, RegExp>;
  /** Header names that must not be sent. */
  readonly absent: string[];
}

export type Expectation =
  | {
      readonly kind: 'send';
      readonly method: HttpMethod;
      readonly url: string;
      readonly headers: ExpectedHeaders;
      /** Every rule this request is judged on. */
      readonly rules: string[];
    }
  | { readonly kind: 'refuse'; readonly ruleId: string; readonly reason: string };

export interface ExpectRequestInput {
  readonly auth: CodexAuth;
  readonly callsiteId: string;
  readonly config: ExpectationConfig;
}

/** `AgentAssertion ` + base64url without padding (AGENT.ASSERT.001). */
export const AGENT_ASSERTION_PATTERN = /^AgentAssertion [A-Za-z0-9_-]+$/;

/** The Codex Apps MCP callsite (codex-rs/codex-mcp/src/mcp/mod.rs): gated on apps + codex backend. */
export function isAppsCallsite(callsite: Callsite): boolean {
  return callsite.id.startsWith('apps-mcp.');
}

/** The OpenAI file upload (codex-rs/codex-api/src/files.rs): refuses before building headers. */
export function isFileUploadCallsite(callsite: Callsite): boolean {
  return callsite.id.startsWith('openai-files.');
}

/** Cloud requirements (codex-rs/cloud-requirements/src/lib.rs): Business and Enterprise only. */
export function isCloudRequirementsCallsite(callsite: Callsite): boolean {
  return callsite.id.startsWith('cloud-requirements.');
}

/**
 * Model traffic (`/codex/responses`, `/codex/models`) is the one kind every mode may send:
 * API keys to the OpenAI base, codex-backend modes to `{chatgpt base}/codex`.
 */
export function isModelTraffic(callsite: Callsite): boolean {
  return callsite.path('wham').startsWith('/codex/');
}

export function expectRequest(input: ExpectRequestInput): Expectation {
  const { auth, config } = input;
  const callsite = callsiteById(input.callsiteId);
  const codexBackend = usesCodexBackend(auth);

  if (isAppsCallsite(callsite) && !(config.appsEnabled === true && codexBackend)) {
    const why = config.appsEnabled === true ? `${auth.mode} auth does not use the codex backend` : 'apps are disabled by config';
    return { kind: 'refuse', ruleId: 'GATE.APPS.001', reason: `Codex Apps is off: ${why}` };
  }
  if (callsite.target === 'chatgptBackend' && !isModelTraffic(callsite) && !codexBackend) {
    const ruleId = isFileUploadCallsite(callsite) ? 'GATE.UPLOAD.001' : 'GATE.APIKEY.001';
    return { kind: 'refuse', ruleId, reason: `${callsite.id} only talks to the codex backend; ${auth.mode} auth must be refused before any header is built` };
  }
  if (isCloudRequirementsCallsite(callsite)) {
    const plan = planType(auth);
    if (plan !== 'business' && plan !== 'enterprise') {
      return { kind: 'refuse', ruleId: 'GATE.PLAN.001', reason: `cloud requirements apply to Business and Enterprise only (plan ${plan ?? 'unknown'})` };
    }
  }
  if (callsite.target === 'authapi' && auth.mode !== 'agentIdentity') {
    throw new ConformanceInputError('BAD_SCENARIO', `callsite ${callsite.id} (task registration) exists only for agentIdentity auth, not ${auth.mode}.`, 'pair authapi callsites with an agentIdentity auth.');
  }

  const rules: string[] = [];
  const url = expectedUrl(callsite, auth, config, rules);
  if (callsite.target === 'authapi') {
    // Task registration is authenticated by its body signature, not by provider headers.
    return { kind: 'send', method: callsite.method, url, headers: { exact: {}, pattern: {}, absent: [] }, rules: [...rules, 'AGENT.TASK.002'] };
  }
  const headers = expectedHeaders(auth, rules);
  if (auth.mode === 'agentIdentity') rules.push('GATE.AGENT.001');
  if (isAppsCallsite(callsite)) rules.push('GATE.APPS.001', 'HDR.APPS.001');
  if (isFileUploadCallsite(callsite)) rules.push('GATE.UPLOAD.001');
  if (isCloudRequirementsCallsite(callsite)) rules.push('GATE.PLAN.001');
  return { kind: 'send', method: callsite.method, url, headers, rules: unique(rules) };
}

function expectedUrl(callsite: Callsite, auth: CodexAuth, config: ExpectationConfig, rules: string[]): string {
  const chatgptBase = config.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL;
  const configuredElsewhere = config.chatgptBaseUrl !== undefined && !isDefaultChatgptHost(config.chatgptBaseUrl);
  switch (callsite.target) {
    case 'chatgptBackend':
      if (isModelTraffic(callsite)) {
        const rest = callsite.path('wham').slice('/codex'.length);
        const base = modelApiBase(auth.mode, { chatgptBaseUrl: config.chatgptBaseUrl, openaiBaseUrl: config.openaiBaseUrl });
        if (auth.mode === 'apiKey') rules.push('URL.APIKEY.001', 'URL.PATH.001');
        else rules.push('URL.BASE.001', 'URL.NORM.001', 'URL.PATH.001');
        if (configuredElsewhere && auth.mode !== 'apiKey') rules.push('URL.BASE.002');
        return `${base}${rest}`;
      }
      if (configuredElsewhere) rules.push('URL.BASE.002');
      if (isAppsCallsite(callsite)) {
        rules.push('URL.APPS.001', 'URL.BASE.001', 'URL.NORM.001');
        return appsMcpUrl(chatgptBase);
      }
      rules.push('URL.BASE.001', 'URL.NORM.001', 'URL.STYLE.001', 'URL.PATH.001');
      return backendUrl(chatgptBase, callsite);
    case 'openaiApi':
      rules.push('URL.APIKEY.001', 'URL.PATH.001');
      return `${modelApiBase('apiKey', { openaiBaseUrl: config.openaiBaseUrl })}${callsite.path('codexApi')}`;
    case 'authapi': {
      rules.push('URL.AGENT.001');
      const base = agentIdentityAuthapiBaseUrl(config.chatgptBaseUrl, config.env ?? {});
      const runtime = auth.mode === 'agentIdentity' ? auth.claims.agentRuntimeId : '';
      return `${base}${callsite.path('codexApi').replace('{agent_runtime_id}', runtime)}`;
    }
    default:
      return assertNever(callsite.target, 'callsite target');
  }
}

function expectedHeaders(auth: CodexAuth, rules: string[]): ExpectedHeaders {
  const exact: Record<string, string> = {};
  const pattern: Record<string, RegExp> = {};
  const absent: string[] = [...OTHER_CREDENTIAL_HEADERS];
  rules.push('HDR.AUTH.001', 'HDR.FEDRAMP.002');
  switch (auth.mode) {
    case 'apiKey':
      exact['authorization'] = `Bearer ${auth.apiKey}`;
      absent.push('chatgpt-account-id', 'x-openai-fedramp');
      rules.push('HDR.BEARER.001', 'HDR.BEARER.002');
      return { exact, pattern, absent };
    case 'chatgpt':
      exact['authorization'] = `Bearer ${auth.tokens.accessToken}`;
      rules.push('HDR.BEARER.001');
      break;
    case 'chatgptAuthTokens':
      exact['authorization'] = `Bearer ${auth.accessToken}`;
      rules.push('HDR.BEARER.001');
      break;
    case 'agentIdentity':
      pattern['authorization'] = AGENT_ASSERTION_PATTERN;
      rules.push('HDR.AGENT.001', 'HDR.AGENT.002', 'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005', 'AGENT.ASSERT.006');
      break;
    default:
      return assertNever(auth, 'auth mode');
  }
  const account = accountId(auth);
  if (account !== undefined && account !== '') {
    exact['chatgpt-account-id'] = account;
    rules.push('HDR.ACCOUNT.001');
  } else {
    absent.push('chatgpt-account-id');
    rules.push('HDR.ACCOUNT.002');
  }
  if (isFedrampAccount(auth)) exact['x-openai-fedramp'] = 'true';
  else absent.push('x-openai-fedramp');
  rules.push('HDR.FEDRAMP.001');
  return { exact, pattern, absent };
}

function isDefaultChatgptHost(base: string): boolean {
  try {
    const host = new URL(base).hostname;
    return host === 'chatgpt.com' || host === 'chat.openai.com';
  } catch {
    return false;
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Exposed for the checker: the normalized ChatGPT base a config resolves to. */
export function configuredChatgptBase(config: ExpectationConfig): string {
  return normalizeChatgptBaseUrl(config.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL);
}
