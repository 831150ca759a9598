/**
 * What a conforming client sends (or refuses) for one callsite under one auth, config and contract
 * profile, derived from the rules' own source-pinned tables in src/rules/contract/ (modes,
 * identity, callsites, URLs). It never calls the reference client (no AuthProvider, no getter, no
 * URL helper of src/urls), so the reference is judged against the rules, not against itself.
 */
import type { CodexAuth } from '../auth/codex-auth.js';
import { assertNever } from '../assert-never.js';
import { ConformanceInputError } from '../errors.js';
import { contractCallsite, type ContractCallsite } from './contract/callsites.js';
import { contractIdentity } from './contract/identity.js';
import { modeFacts, PROFILE_MODES } from './contract/modes.js';
import { requirementsPlans } from './contract/plans.js';
import {
  contractAppsTrusted,
  contractAppsUrl,
  contractAuthapiBase,
  contractBackendBase,
  contractBackendUrl,
  contractPathStyle,
  contractModelTarget,
  CONTRACT_OPENAI_API_BASE,
  type UrlConfig,
} from './contract/urls.js';
import { OTHER_CREDENTIAL_HEADERS } from './check-request-headers.js';
import { pickRule, ruleIdsInProfile } from './catalogue.js';
import { appsHeaderRule } from './contract/features.js';
import type { ProfileId } from './profiles.js';

export interface ExpectationConfig extends UrlConfig {
  readonly appsEnabled?: boolean;
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
      readonly method: 'GET' | 'POST';
      /** The URL the source sends to. */
      readonly url: string;
      /** Other URLs a conforming client may use instead (e.g. a plain model listing instead of discovery). */
      readonly alternatives?: readonly string[];
      /** True when sending nothing conforms too (a client need not refresh its model list). */
      readonly optional?: boolean;
      /** The URL the same callsite has under the other path style (a request there is URL.STYLE.001). */
      readonly otherStyleUrl?: string;
      readonly headers: ExpectedHeaders;
      /** Every rule this request is judged on. */
      readonly rules: string[];
    }
  | { readonly kind: 'refuse'; readonly ruleId: string; readonly reason: string };

export interface ExpectRequestInput {
  readonly auth: CodexAuth;
  readonly callsiteId: string;
  readonly config: ExpectationConfig;
  readonly profile: ProfileId;
}

/** `AgentAssertion ` + base64url without padding (AGENT.ASSERT.001). */
export const AGENT_ASSERTION_PATTERN = /^AgentAssertion [A-Za-z0-9_-]+$/;

/** Model traffic (`/responses`, `/models`): the one kind whose base is not the ChatGPT base. */
export function isModelTraffic(callsiteId: string): boolean {
  return contractCallsite(callsiteId).kind === 'model';
}

function isDefaultChatgptHost(base: string): boolean {
  try {
    const host = new URL(base).hostname;
    return host === 'chatgpt.com' || host === 'chat.openai.com';
  } catch {
    return false;
  }
}

/** True when a ChatGPT base other than the production one is configured (URL.BASE.003 applies). */
export function configuredElsewhere(config: UrlConfig): boolean {
  return config.chatgptBaseUrl !== undefined && !isDefaultChatgptHost(config.chatgptBaseUrl);
}

export function expectRequest(input: ExpectRequestInput): Expectation {
  const { auth, config, profile } = input;
  if (!PROFILE_MODES[profile].includes(auth.mode)) {
    throw new ConformanceInputError('BAD_SCENARIO', `auth mode ${auth.mode} does not exist in profile ${profile}.`, `use one of ${PROFILE_MODES[profile].join(', ')}.`);
  }
  const cs = contractCallsite(input.callsiteId);
  const refusal = gate(cs, auth, config, profile);
  if (refusal !== undefined) return refusal;

  const rules: string[] = [];
  const target = expectedTarget(cs, auth, config, profile, rules);
  if (target.kind === 'refuse') return target;
  const trusted = cs.kind !== 'apps' || contractAppsTrusted(profile, target.url, config);
  const headers = trusted ? expectedHeaders(auth, rules) : untrustedAppsHeaders(rules);
  if (auth.mode === 'agentIdentity') {
    rules.push('GATE.AGENT.001');
    if (contractAuthapiBase(profile, config).kind === 'refused') {
      return { kind: 'refuse', ruleId: 'URL.AGENT.004', reason: `agent identity is refused with chatgpt_base_url ${config.chatgptBaseUrl ?? '(default)'}: Agent Identity only supports production and staging ChatGPT environments` };
    }
  }
  if ((auth.mode === 'personalAccessToken' || auth.mode === 'headers') && cs.kind !== 'model') rules.push('GATE.BACKEND.001');
  if (cs.kind === 'apps') rules.push('GATE.APPS.001', appsHeaderRule(profile, trusted));
  if (cs.kind === 'upload') rules.push('GATE.UPLOAD.001');
  if (cs.kind === 'requirements') rules.push('GATE.PLAN.001');
  const inProfile = new Set(ruleIdsInProfile(profile));
  return {
    kind: 'send',
    method: cs.method,
    url: target.url,
    ...(target.alternatives !== undefined ? { alternatives: target.alternatives } : {}),
    ...(target.optional === true ? { optional: true } : {}),
    ...(target.otherStyleUrl !== undefined ? { otherStyleUrl: target.otherStyleUrl } : {}),
    headers,
    rules: [...new Set(rules)].filter((id) => inProfile.has(id)),
  };
}

function gate(cs: ContractCallsite, auth: CodexAuth, config: ExpectationConfig, profile: ProfileId): Expectation | undefined {
  const facts = modeFacts(auth.mode);
  if (auth.mode === 'bedrockApiKey') {
    return { kind: 'refuse', ruleId: 'GATE.BEDROCK.001', reason: 'Bedrock auth is only for the Amazon Bedrock provider: no codex-backend or OpenAI request' };
  }
  if (cs.kind === 'apps' && !(config.appsEnabled === true && facts.usesCodexBackend)) {
    const why = config.appsEnabled === true ? `${auth.mode} auth does not use the codex backend` : 'apps are disabled by config';
    return { kind: 'refuse', ruleId: 'GATE.APPS.001', reason: `Codex Apps is off: ${why}` };
  }
  if ((cs.kind === 'backend' || cs.kind === 'requirements' || cs.kind === 'upload') && !facts.usesCodexBackend) {
    return { kind: 'refuse', ruleId: cs.kind === 'upload' ? 'GATE.UPLOAD.001' : 'GATE.APIKEY.001', reason: `${cs.id} only talks to the codex backend; ${auth.mode} auth must be refused before any header is built` };
  }
  if (cs.kind === 'requirements') {
    const plan = contractIdentity(auth).plan;
    if (plan === undefined || !requirementsPlans(profile).has(plan)) {
      return { kind: 'refuse', ruleId: 'GATE.PLAN.001', reason: `cloud requirements apply to business-like and enterprise plans only (plan ${plan ?? 'unknown'})` };
    }
  }
  return undefined;
}

type Target =
  | { readonly kind: 'url'; readonly url: string; readonly alternatives?: readonly string[]; readonly optional?: boolean; readonly otherStyleUrl?: string }
  | Extract<Expectation, { kind: 'refuse' }>;

function expectedTarget(cs: ContractCallsite, auth: CodexAuth, config: ExpectationConfig, profile: ProfileId, rules: string[]): Target {
  const norm = pickRule(profile, 'URL.NORM.002', 'URL.NORM.001');
  switch (cs.kind) {
    case 'backend':
    case 'requirements':
    case 'upload':
      rules.push('URL.BASE.001', norm, 'URL.PATH.001');
      if (configuredElsewhere(config)) rules.push('URL.BASE.003');
      if (cs.paths.wham !== cs.paths.codexApi) {
        rules.push('URL.STYLE.001');
        const base = contractBackendBase(config);
        const other = contractPathStyle(base) === 'wham' ? cs.paths.codexApi : cs.paths.wham;
        return { kind: 'url', url: contractBackendUrl(cs.paths, config), otherStyleUrl: `${base}${other}` };
      }
      return { kind: 'url', url: contractBackendUrl(cs.paths, config) };
    case 'apps':
      rules.push('URL.APPS.001', 'URL.BASE.001', norm);
      if (configuredElsewhere(config)) rules.push('URL.BASE.003');
      return { kind: 'url', url: contractAppsUrl(profile, config) };
    case 'model': {
      const which = cs.model ?? 'responses';
      const target = contractModelTarget(profile, auth.mode, which, config);
      rules.push('URL.MODEL.001', 'URL.PATH.001');
      if (auth.mode === 'apiKey') rules.push('URL.APIKEY.001', 'URL.APIKEY.002', 'GATE.APIKEY.003');
      if (configuredElsewhere(config)) rules.push('URL.BASE.003');
      if (target.kind === 'url') {
        // A client that lists models with its API key at the OpenAI base instead of discovery conforms too.
        const plain = auth.mode === 'apiKey' && which === 'models' ? `${(config.openaiBaseUrl ?? CONTRACT_OPENAI_API_BASE).replace(/\/+$/u, '')}/models` : undefined;
        return { kind: 'url', url: target.url, ...(plain !== undefined && plain !== target.url ? { alternatives: [plain], optional: true } : {}) };
      }
      // No model refresh by the source: a client may still list models at its OpenAI base with the key.
      return { kind: 'url', url: `${(config.openaiBaseUrl ?? CONTRACT_OPENAI_API_BASE).replace(/\/+$/u, '')}/${which}`, optional: true };
    }
    default:
      return assertNever(cs.kind, 'callsite kind');
  }
}

function untrustedAppsHeaders(rules: string[]): ExpectedHeaders {
  rules.push('HDR.AUTH.001');
  return { exact: {}, pattern: {}, absent: ['authorization', 'chatgpt-account-id', 'x-openai-fedramp', ...OTHER_CREDENTIAL_HEADERS] };
}

function expectedHeaders(auth: CodexAuth, rules: string[]): ExpectedHeaders {
  const exact: Record<string, string> = {};
  const pattern: Record<string, RegExp> = {};
  const absent: string[] = [...OTHER_CREDENTIAL_HEADERS];
  rules.push('HDR.FEDRAMP.002');
  switch (auth.mode) {
    case 'apiKey':
      exact['authorization'] = `Bearer ${auth.apiKey}`;
      absent.push('chatgpt-account-id', 'x-openai-fedramp');
      rules.push('HDR.AUTH.001', 'HDR.BEARER.001', 'HDR.BEARER.002');
      return { exact, pattern, absent };
    case 'headers': {
      // The caller's map, verbatim; nothing credential-like of Codex's own beside it.
      for (const [name, value] of Object.entries(auth.headers)) exact[name.toLowerCase()] = value;
      const own = ['authorization', 'chatgpt-account-id', 'x-openai-fedramp', ...OTHER_CREDENTIAL_HEADERS].filter((n) => !(n in exact));
      rules.push('HDR.HEADERS.001');
      return { exact, pattern, absent: own };
    }
    case 'chatgpt':
      exact['authorization'] = `Bearer ${auth.tokens.accessToken}`;
      rules.push('HDR.AUTH.001', 'HDR.BEARER.001');
      break;
    case 'chatgptAuthTokens':
      exact['authorization'] = `Bearer ${auth.accessToken}`;
      rules.push('HDR.AUTH.001', 'HDR.BEARER.001');
      break;
    case 'personalAccessToken':
      exact['authorization'] = `Bearer ${auth.token}`;
      rules.push('HDR.AUTH.001', 'HDR.PAT.001');
      break;
    case 'agentIdentity':
      pattern['authorization'] = AGENT_ASSERTION_PATTERN;
      rules.push('HDR.AUTH.001', 'HDR.AGENT.001', 'HDR.AGENT.002', 'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005', 'AGENT.ASSERT.006');
      break;
    case 'bedrockApiKey':
      throw new ConformanceInputError('BAD_SCENARIO', 'Bedrock auth sends no OpenAI or codex-backend request, so it has no header set.', 'expect a refusal (GATE.BEDROCK.001).');
    default:
      return assertNever(auth, 'auth mode');
  }
  const identity = contractIdentity(auth);
  // Agent identities and PATs answer for their account headers under their own rules (HDR.AGENT.002, HDR.PAT.001).
  const ownRules = auth.mode === 'chatgpt' || auth.mode === 'chatgptAuthTokens';
  if (identity.accountId !== undefined) {
    exact['chatgpt-account-id'] = identity.accountId;
    if (ownRules) rules.push('HDR.ACCOUNT.001');
  } else {
    absent.push('chatgpt-account-id');
    if (ownRules) rules.push('HDR.ACCOUNT.002');
  }
  if (identity.isFedramp) exact['x-openai-fedramp'] = 'true';
  else absent.push('x-openai-fedramp');
  if (ownRules) rules.push('HDR.FEDRAMP.001');
  return { exact, pattern, absent };
}
