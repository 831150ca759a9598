import fc from 'fast-check';
import { authSpec, defaultAgentIdentityVia } from '../../../scenarios/arbitraries/auth-spec.js';
import { baseChoice, chatgptBaseUrlFor, MOCK_BACKEND_API, PRODUCTION_BACKEND_API, showBaseChoice, type BaseChoice, type BaseHostSupport } from '../../../scenarios/arbitraries/base-url.js';
import { assertNever } from '../../assert-never.js';
import type { AuthMode } from '../../auth/codex-auth.js';
import { CALLSITE_IDS } from '../../callsites/catalog.js';
import { checkJournal, checkObserved } from '../../rules/check.js';
import { PROFILE_MODES } from '../../rules/contract/modes.js';
import { contractFeatures } from '../../rules/contract/features.js';
import { expectRequest, type Expectation, type ExpectationConfig } from '../../rules/expectations.js';
import { expectationEvidence } from '../case-evidence.js';
import type { ProfileId } from '../../rules/profiles.js';
import { skip, unsupported, type RuleResult } from '../../rules/result.js';
import { describeAuthSpec, seedAuth, type AuthSpec } from '../auth-spec.js';
import { freshHome, missingCapability, withSession } from '../case-session.js';
import type { MockUrls } from '../mock-control.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';
import { urlExamples } from './url-examples.js';

/**
 * One request case: an auth state, one callsite, a configured ChatGPT base (the mock's loopback
 * origin or production, in several spellings), the apps flag, whether `openai_base_url` is
 * configured, and for agent identities whether the authapi/JWKS env overrides are set.
 */
export interface RequestCase {
  readonly auth: AuthSpec;
  readonly callsiteId: string;
  readonly base: BaseChoice;
  readonly appsEnabled: boolean;
  /** `openai_base_url` points at the mock (else the source's default model base applies). */
  readonly openaiBase: boolean;
  /** Which agent identity env overrides an agent identity case sets (AGENT_OVERRIDES). */
  readonly agentOverrides: AgentOverrides;
}

/**
 * The agent identity env overrides of a case: `pair` sets CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL
 * (the mock's `/api/accounts`) and CODEX_AGENT_IDENTITY_JWKS_BASE_URL equal to the configured base
 * (what makes a base outside production and staging usable in 0.171.0); `authapiOnly` and
 * `jwksOnly` set one of them (the JWKS base on the mock's `/backend-api`, not the configured
 * base); `none` neither; `pairSpelled` is the pair as a user may type it: the authapi override
 * padded with whitespace and a trailing `/`, the JWKS base equal to the configured base only after
 * trimming trailing `/` (hand-picked examples only, src/harness/suites/url-examples.ts). The
 * rules' table decides where registration and JWKS go (contractAuthapiBase, contractJwksUrl), and
 * whether agent identity is refused.
 */
export const AGENT_OVERRIDES = ['pair', 'none', 'authapiOnly', 'jwksOnly', 'pairSpelled'] as const;
export type AgentOverrides = (typeof AGENT_OVERRIDES)[number];

const RULES = [
  'HDR.BEARER.001', 'HDR.BEARER.002', 'HDR.ACCOUNT.001', 'HDR.ACCOUNT.002', 'HDR.FEDRAMP.001', 'HDR.FEDRAMP.002',
  'HDR.AGENT.001', 'HDR.AGENT.002', 'HDR.AUTH.001', 'HDR.APPS.001', 'HDR.APPS.002', 'HDR.APPS.003', 'HDR.PAT.001', 'HDR.HEADERS.001',
  'GATE.APIKEY.001', 'GATE.UPLOAD.001', 'GATE.APPS.001', 'GATE.AGENT.001', 'GATE.BACKEND.001', 'GATE.BEDROCK.001',
  'URL.NORM.001', 'URL.NORM.002', 'URL.STYLE.001', 'URL.PATH.001', 'URL.BASE.001', 'URL.BASE.003', 'URL.AGENT.002', 'URL.AGENT.003',
  'URL.AGENT.004', 'URL.AGENT.005', 'URL.MODEL.001', 'URL.APIKEY.001', 'URL.APIKEY.002', 'URL.APPS.001',
  'AGENT.ASSERT.001', 'AGENT.ASSERT.002', 'AGENT.ASSERT.003', 'AGENT.ASSERT.004', 'AGENT.ASSERT.005', 'AGENT.ASSERT.006',
  'GATE.PLAN.001', 'HDR.BACKEND.001', 'GATE.APIKEY.002', 'GATE.APIKEY.003',
  'HDR.UNIQUE.001', 'URL.ROUTING.001', 'URL.ROUTING.002',
] as const;

/** Rules the case-free journal checker judges on the same requests. */
const JOURNAL_RULES = new Set<string>(['HDR.BACKEND.001', 'GATE.APIKEY.002', 'GATE.APIKEY.003', 'HDR.UNIQUE.001', 'URL.ROUTING.001', 'URL.ROUTING.002']);

/** Modes a case may use: the profile's, as far as the implementation supports them. */
export function caseModes(ctx: Pick<SuiteContext, 'implementation' | 'profile'>): AuthMode[] {
  return PROFILE_MODES[ctx.profile].filter((m) => ctx.implementation.capabilities.authModes.includes(m));
}

/** Raw `chatgpt_plan_type` claims the cloud-requirements gate must read as the source does (GATE.PLAN.001). */
export const PLAN_CLAIMS_IN_THE_WILD = ['enterprise_cbp_usage_based', 'ent26', 'enterprise_cbp_automation', 'hc', 'education', 'Business', 'ENTERPRISE'] as const;

/**
 * Targeted examples, run before the generated cases: every mode of the profile on a backend
 * callsite, Codex Apps and model traffic (the facts page's canonical header sets), then one case
 * for each rule the generated cases reach only by chance (gates, a missing account id, the agent
 * refusal outside production, the constant production hosts). Kept short so the default run count
 * covers them all.
 */
function canonicalExamples(profile: ProfileId, productionHosts: boolean, modes: readonly AuthMode[]): RequestCase[] {
  const base: BaseChoice = MOCK_BACKEND_API;
  const plain = { base, appsEnabled: true, openaiBase: true, agentOverrides: 'pair' } as const;
  const seedSpecs: AuthSpec[] = [
    { mode: 'chatgpt', account: { plan: 'enterprise', fedramp: true }, lastRefreshDaysAgo: 0 },
    { mode: 'chatgptAuthTokens', account: { plan: 'team', fedramp: false } },
    { mode: 'agentIdentity', account: { plan: 'business', fedramp: true }, via: defaultAgentIdentityVia(profile) },
    { mode: 'apiKey', via: 'authJson' },
  ];
  const newerSpecs: AuthSpec[] = [
    { mode: 'personalAccessToken', account: { plan: 'enterprise', fedramp: true }, via: 'CODEX_ACCESS_TOKEN' },
    { mode: 'headers', account: { plan: 'plus', fedramp: false }, accountHeader: true },
    { mode: 'bedrockApiKey' },
  ];
  const specs = [...seedSpecs, ...newerSpecs].filter((s) => modes.includes(s.mode));
  const out: RequestCase[] = specs.flatMap((auth) => ['cloud-tasks.list', 'apps-mcp.tools-list', 'core.responses'].map((callsiteId): RequestCase => ({ auth, callsiteId, ...plain })));
  const apiKey: AuthSpec = { mode: 'apiKey', via: 'authJson' };
  const plusChatgpt: AuthSpec = { mode: 'chatgpt', account: { plan: 'plus', fedramp: false }, lastRefreshDaysAgo: 0 };
  out.push(
    { auth: apiKey, callsiteId: 'openai-files.upload', ...plain },
    { auth: apiKey, callsiteId: 'models.refresh', ...plain },
    { auth: specs[0] ?? plusChatgpt, callsiteId: 'cloud-requirements.fetch', ...plain },
    { auth: plusChatgpt, callsiteId: 'cloud-requirements.fetch', ...plain },
    // An older login without a stored account_id: no ChatGPT-Account-ID at all (HDR.ACCOUNT.002).
    { auth: { ...plusChatgpt, accountIdStored: false } as AuthSpec, callsiteId: 'remote-control.enroll', ...plain },
    // Remote-control enrollment with an account id: the header PR #29893 stopped sending twice (HDR.UNIQUE.001).
    { auth: plusChatgpt, callsiteId: 'remote-control.enroll', ...plain },
    { auth: { mode: 'chatgptAuthTokens', account: { plan: 'plus', fedramp: false } }, callsiteId: 'chatgpt.get-task', base: { host: 'mock', spelling: 'api/codex/' }, appsEnabled: false, openaiBase: true, agentOverrides: 'pair' },
    // Apps disabled in config: a codex-backend login is refused Codex Apps too (GATE.APPS.001's other half;
    // found by Stryker: a gate that ignores apps_enabled survived at 10 generated cases).
    { auth: plusChatgpt, callsiteId: 'apps-mcp.tools-list', ...plain, appsEnabled: false },
    // GATE.PLAN.001 for plan claims as they occur in the wild (issue 20): every business-like
    // spelling the source admits, the aliases it maps (`hc` -> enterprise, `education` -> edu), a
    // known plan in another case (serde reads the claim exactly: Unknown, refused), and the plans
    // that joined later (`ent26`, `enterprise_cbp_automation`: refused under pr18811).
    // HDR.ACCOUNT.001: auth.json's tokens.account_id disagrees with the id_token's claim (another
    // workspace selected since the login): the stored account is sent, never the claim's.
    { auth: { ...plusChatgpt, storedAccountId: 'acct-selected-workspace' } as AuthSpec, callsiteId: 'cloud-tasks.list', ...plain },
    ...PLAN_CLAIMS_IN_THE_WILD.map((planClaim): RequestCase => ({ auth: { mode: 'chatgpt', account: { plan: 'business', planClaim, fedramp: false }, lastRefreshDaysAgo: 0 }, callsiteId: 'cloud-requirements.fetch', ...plain })),
  );
  if (contractFeatures(profile).authapi === 'chatgptEnvironment') {
    // A loopback base without the overrides: agent identity refused (URL.AGENT.004).
    out.push({ auth: { mode: 'agentIdentity', account: { plan: 'plus', fedramp: false }, via: 'CODEX_ACCESS_TOKEN' }, callsiteId: 'cloud-tasks.list', ...plain, agentOverrides: 'none' });
  }
  out.push({ auth: { mode: 'headers', account: { plan: 'team', fedramp: true }, accountHeader: false }, callsiteId: 'backend-client.rate-limits', ...plain });
  if (productionHosts) {
    // Production base: Apps MCP on the trusted origin; model traffic and API-key discovery on the constant host.
    const prod = { base: PRODUCTION_BACKEND_API, appsEnabled: true, openaiBase: false, agentOverrides: 'none' } as const;
    out.push({ auth: specs[0] ?? plusChatgpt, callsiteId: 'apps-mcp.tools-list', ...prod }, { auth: apiKey, callsiteId: 'models.refresh', ...prod }, { auth: specs[0] ?? plusChatgpt, callsiteId: 'models.refresh', ...prod });
    if (specs.some((s) => s.mode === 'agentIdentity')) out.push({ auth: specs.find((s) => s.mode === 'agentIdentity')!, callsiteId: 'apps-mcp.tools-list', ...prod });
    // Another base configured, model traffic to the constant host by design (URL.BASE.003, URL.MODEL.001).
    out.push({ auth: plusChatgpt, callsiteId: 'core.responses', base, appsEnabled: true, openaiBase: false, agentOverrides: 'none' });
  }
  return out.filter((c) => modes.includes(c.auth.mode));
}

export function requestCase(callsites: readonly string[], modes: readonly AuthMode[], profile: ProfileId, hosts: BaseHostSupport | boolean): fc.Arbitrary<RequestCase> {
  const productionHosts = typeof hosts === 'boolean' ? hosts : hosts.productionHosts;
  return fc.record({
    auth: authSpec(modes, profile),
    callsiteId: fc.constantFrom(...callsites),
    base: baseChoice(hosts),
    appsEnabled: fc.boolean(),
    openaiBase: productionHosts ? fc.boolean() : fc.constant(true),
    agentOverrides: fc.oneof({ weight: 3, arbitrary: fc.constant<AgentOverrides>('pair') }, { weight: 1, arbitrary: fc.constant<AgentOverrides>('none') }, { weight: 1, arbitrary: fc.constantFrom<AgentOverrides>('authapiOnly', 'jwksOnly') }),
  });
}

const OVERRIDES_SHOWN: Readonly<Record<AgentOverrides, string>> = {
  pair: '',
  none: 'no authapi/JWKS override',
  authapiOnly: 'authapi override only',
  jwksOnly: 'JWKS override on the mock only',
  pairSpelled: 'authapi/JWKS overrides spelled with whitespace and other trailing slashes',
};

export function showRequestCase(c: RequestCase): string {
  const extras = [c.appsEnabled ? '' : 'apps disabled', c.openaiBase ? '' : 'no openai_base_url', c.auth.mode === 'agentIdentity' && c.agentOverrides !== 'pair' ? OVERRIDES_SHOWN[c.agentOverrides] : ''].filter((x) => x !== '');
  return `${describeAuthSpec(c.auth)} → ${c.callsiteId} with chatgpt_base_url=${showBaseChoice(c.base)}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
}

/** The case's config and the env it adds (authapi overrides, the PAT authapi, the refresh override). */
export function requestCaseConfig(urls: MockUrls, input: Pick<RequestCase, 'auth' | 'base' | 'appsEnabled' | 'openaiBase' | 'agentOverrides'>, productionHosts: boolean): { config: ExpectationConfig & { appsEnabled: boolean }; env: Record<string, string> } {
  const chatgptBaseUrl = chatgptBaseUrlFor(urls, input.base);
  const env: Record<string, string> = { CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${urls.root}/oauth/token` };
  if (input.auth.mode === 'agentIdentity') {
    const overrides = input.agentOverrides;
    switch (overrides) {
      case 'pair':
        env['CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'] = `${urls.root}/api/accounts`;
        env['CODEX_AGENT_IDENTITY_JWKS_BASE_URL'] = chatgptBaseUrl;
        break;
      case 'authapiOnly':
        env['CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'] = `${urls.root}/api/accounts`;
        break;
      case 'jwksOnly':
        env['CODEX_AGENT_IDENTITY_JWKS_BASE_URL'] = `${urls.root}/backend-api`;
        break;
      case 'pairSpelled':
        env['CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'] = ` ${urls.root}/api/accounts/ `;
        env['CODEX_AGENT_IDENTITY_JWKS_BASE_URL'] = chatgptBaseUrl.endsWith('/') ? chatgptBaseUrl.replace(/\/+$/u, '') : `${chatgptBaseUrl}/`;
        break;
      case 'none':
        break;
      default:
        assertNever(overrides, 'agent overrides');
    }
  }
  // whoami goes to production unless overridden; only a mock that serves production may see it there.
  if (input.auth.mode === 'personalAccessToken' && (!productionHosts || input.base.host !== 'production')) env['CODEX_AUTHAPI_BASE_URL'] = `${urls.root}/api/accounts`;
  const config = {
    chatgptBaseUrl,
    ...(input.openaiBase ? { openaiBaseUrl: urls.openai } : {}),
    appsEnabled: input.appsEnabled,
    env,
  };
  return { config, env };
}

/** Runs one request case and judges every request the mock saw for it. */
export async function executeRequestCase(ctx: SuiteContext, input: RequestCase, caseId: string, onExpectation?: (expectation: Expectation) => void): Promise<RuleResult[]> {
  const missing = missingCapability(ctx, { mode: input.auth.mode, callsites: [input.callsiteId] });
  if (missing !== undefined) return RULES.map((id) => unsupported(id, missing, caseId));
  const urls = ctx.mock.beginCase(caseId);
  try {
    const seeded = await seedAuth(ctx.mock.backend, input.auth, { caseId });
    const { config, env } = requestCaseConfig(urls, input, ctx.mock.productionHosts);
    const home = await freshHome(ctx, caseId);
    const setup = { caseId, home, ...seeded.setup, env: { ...seeded.setup.env, ...env }, config: { chatgptBaseUrl: config.chatgptBaseUrl!, ...(config.openaiBaseUrl !== undefined ? { openaiBaseUrl: config.openaiBaseUrl } : {}), appsEnabled: config.appsEnabled } };
    const outcome = await withSession(ctx, setup, (s) => s.invoke(input.callsiteId));
    if (outcome.kind === 'skipped') return RULES.map((id) => skip(id, `implementation skipped ${input.callsiteId}: ${outcome.reason}`, caseId));
    const observed = ctx.mock.journal(caseId);
    const expectation = expectRequest({ auth: seeded.expected, callsiteId: input.callsiteId, config, profile: ctx.profile });
    onExpectation?.(expectation);
    const runtime = seeded.agentRuntimeId;
    const taskIdsIssued = runtime === undefined ? [] : [...ctx.mock.backend.tasks.values()].filter((t) => t.runtimeId === runtime).map((t) => t.taskId);
    const results = [
      ...checkObserved(observed, expectation, { auth: seeded.expected, profile: ctx.profile, taskIdsIssued, config, caseId }),
      ...checkJournal(observed, { profile: ctx.profile, chatgptBaseUrl: config.chatgptBaseUrl! }).filter((r) => JOURNAL_RULES.has(r.ruleId)),
    ];
    // What the implementation said about a failed call is evidence too (e.g. a blocked connection).
    if (outcome.kind !== 'errored') return results;
    return results.map((r) => (r.verdict === 'fail' ? { ...r, message: `${r.message} (the implementation reported: ${outcome.message.slice(0, 300)})` } : r));
  } finally {
    ctx.mock.endCase();
  }
}

export const requestsSuite: Suite = {
  id: 'requests',
  title: 'Header set, gate and URL of every callsite request, per auth mode and base URL spelling',
  rules: RULES,
  run(ctx) {
    const callsites = ctx.implementation.capabilities.callsites.filter((c) => CALLSITE_IDS.includes(c));
    const modes = caseModes(ctx);
    const productionHosts = ctx.mock.productionHosts;
    // The expectation of the case executed last: a failure's evidence shows it beside the journal.
    let last: { readonly caseId: string; readonly expectation: Expectation } | undefined;
    return runProperty(this, ctx, {
      arbitrary: () => requestCase(callsites.length > 0 ? callsites : CALLSITE_IDS, modes, ctx.profile, ctx.mock),
      examples: [...canonicalExamples(ctx.profile, productionHosts, modes), ...urlExamples(ctx.profile, ctx.mock, modes)],
      execute: (input, caseId) => executeRequestCase(ctx, input, caseId, (expectation) => (last = { caseId, expectation })),
      expectedOf: (caseId) => (last?.caseId === caseId ? expectationEvidence(last.expectation) : undefined),
      show: showRequestCase,
    });
  },
};
