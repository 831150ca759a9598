import fc from 'fast-check';
import { authSpec } from '../../../scenarios/arbitraries/auth-spec.js';
import { MOCK_BACKEND_API } from '../../../scenarios/arbitraries/base-url.js';
import type { AuthMode } from '../../auth/codex-auth.js';
import { checkScoping, type ScopingCase } from '../../rules/check-scoping.js';
import type { ModelProviderSpec } from '../../rules/contract/scoping.js';
import type { ProfileId } from '../../rules/profiles.js';
import { skip, unsupported, type RuleResult } from '../../rules/result.js';
import { describeAuthSpec, seedAuth, type AuthSpec } from '../auth-spec.js';
import { freshHome, missingCapability, withSession } from '../case-session.js';
import type { CaseSetup } from '../implementation.js';
import { runProperty } from '../property.js';
import type { Suite, SuiteContext } from '../suite.js';
import { caseModes, requestCaseConfig } from './requests-suite.js';

/**
 * Credentials scoped beyond the auth mode (issue 19, corpus classes B and D): which model provider
 * the config selects, `forced_chatgpt_workspace_id`, the usage poller, and `OPENAI_BASE_URL`. One
 * case: a login, one call (model traffic, the usage poll, or a codex-backend callsite), and the
 * configuration around it. The journal and the outcome are judged by src/rules/check-scoping.ts.
 */
export const PROVIDERS = ['openai', 'customNoAuth', 'customOwnToken', 'customRequiresOpenaiAuth'] as const;
export type ProviderChoice = (typeof PROVIDERS)[number];
export const FORCED = ['none', 'own', 'other'] as const;
export type ForcedChoice = (typeof FORCED)[number];
export const CALLS = ['model', 'usage', 'backend'] as const;
export type ScopingCall = (typeof CALLS)[number];

export interface ScopingSuiteCase {
  readonly auth: AuthSpec;
  readonly call: ScopingCall;
  readonly provider: ProviderChoice;
  readonly forced: ForcedChoice;
  /** `OPENAI_BASE_URL` set (and no `openai_base_url`). */
  readonly envBase: boolean;
}

const RULES = ['HDR.PROVIDER.001', 'GATE.WORKSPACE.001', 'GATE.USAGE.001', 'URL.ENVBASE.001'] as const;

const CALLSITE: Readonly<Record<ScopingCall, string>> = { model: 'core.responses', usage: 'backend-client.rate-limits', backend: 'cloud-tasks.list' };

/** The provider's own token (not a login credential): the mock never issued it. */
const PROVIDER_TOKEN = 'custom-provider-own-token';
const OTHER_WORKSPACE = '00000000-0000-4000-8000-00000000ffff';

const plus = { plan: 'plus', fedramp: false } as const;
const team = { plan: 'team', fedramp: true } as const;

/** Hand-picked cases: each rule's positive and negative side, per mode the profile knows. */
export function scopingExamples(profile: ProfileId, modes: readonly AuthMode[]): ScopingSuiteCase[] {
  const chatgpt: AuthSpec = { mode: 'chatgpt', account: team, lastRefreshDaysAgo: 0 };
  const apiKey: AuthSpec = { mode: 'apiKey', via: 'authJson' };
  const hostTokens: AuthSpec = { mode: 'chatgptAuthTokens', account: plus };
  const pat: AuthSpec = { mode: 'personalAccessToken', account: team, via: 'CODEX_ACCESS_TOKEN' };
  const headers: AuthSpec = { mode: 'headers', account: team, accountHeader: true };
  const plain = { forced: 'none', envBase: false } as const;
  const out: ScopingSuiteCase[] = [
    // HDR.PROVIDER.001: a custom provider without OpenAI auth, none of its own or its own token.
    { auth: chatgpt, call: 'model', provider: 'customNoAuth', ...plain },
    { auth: apiKey, call: 'model', provider: 'customNoAuth', ...plain },
    { auth: headers, call: 'model', provider: 'customNoAuth', ...plain },
    { auth: chatgpt, call: 'model', provider: 'customOwnToken', ...plain },
    // GATE.USAGE.001: no usage poll for such a provider; a poll on the OpenAI provider.
    { auth: chatgpt, call: 'usage', provider: 'customNoAuth', ...plain },
    { auth: chatgpt, call: 'usage', provider: 'openai', ...plain },
    // GATE.WORKSPACE.001: another workspace refused (each login that names one), the own accepted.
    { auth: chatgpt, call: 'backend', provider: 'openai', forced: 'other', envBase: false },
    { auth: hostTokens, call: 'model', provider: 'openai', forced: 'other', envBase: false },
    { auth: pat, call: 'backend', provider: 'openai', forced: 'other', envBase: false },
    { auth: headers, call: 'backend', provider: 'openai', forced: 'other', envBase: false },
    { auth: headers, call: 'backend', provider: 'openai', forced: 'own', envBase: false },
    { auth: pat, call: 'backend', provider: 'openai', forced: 'own', envBase: false },
    { auth: chatgpt, call: 'backend', provider: 'openai', forced: 'own', envBase: false },
    // URL.ENVBASE.001: OPENAI_BASE_URL followed (or refused).
    { auth: apiKey, call: 'model', provider: 'openai', forced: 'none', envBase: true },
  ];
  void profile;
  return out.filter((c) => modes.includes(c.auth.mode));
}

export function scopingCase(modes: readonly AuthMode[], profile: ProfileId): fc.Arbitrary<ScopingSuiteCase> {
  return fc.record({
    auth: authSpec(modes.filter((m) => m !== 'agentIdentity' && m !== 'bedrockApiKey'), profile),
    call: fc.constantFrom(...CALLS),
    provider: fc.constantFrom(...PROVIDERS),
    forced: fc.constantFrom(...FORCED),
    envBase: fc.boolean(),
  });
}

export function showScopingCase(c: ScopingSuiteCase): string {
  const extras = [c.provider === 'openai' ? '' : `model_provider=${c.provider}`, c.forced === 'none' ? '' : `forced_chatgpt_workspace_id=${c.forced}`, c.envBase ? 'OPENAI_BASE_URL set' : ''].filter((x) => x !== '');
  return `${describeAuthSpec(c.auth)} → ${c.call} (${CALLSITE[c.call]})${extras.length > 0 ? ` with ${extras.join(', ')}` : ''}`;
}

function providerSpec(choice: ProviderChoice, baseUrl: string): ModelProviderSpec | undefined {
  switch (choice) {
    case 'openai':
      return undefined;
    case 'customNoAuth':
      return { baseUrl, requiresOpenaiAuth: false, ownAuth: 'none' };
    case 'customOwnToken':
      return { baseUrl, requiresOpenaiAuth: false, ownAuth: 'bearerToken' };
    case 'customRequiresOpenaiAuth':
      return { baseUrl, requiresOpenaiAuth: true, ownAuth: 'none' };
  }
}

export async function executeScopingCase(ctx: SuiteContext, input: ScopingSuiteCase, caseId: string): Promise<RuleResult[]> {
  const callsiteId = CALLSITE[input.call];
  const missing = missingCapability(ctx, { mode: input.auth.mode, callsites: [callsiteId] });
  if (missing !== undefined) return RULES.map((id) => unsupported(id, missing, caseId));
  const keys = ctx.implementation.capabilities.configKeys ?? [];
  const needed = [...(input.provider === 'openai' ? [] : ['modelProvider' as const]), ...(input.forced === 'none' ? [] : ['forcedChatgptWorkspaceIds' as const])].filter((k) => !keys.includes(k));
  if (needed.length > 0) return RULES.map((id) => unsupported(id, `implementation does not declare the config key(s) ${needed.join(', ')} (capabilities.configKeys)`, caseId));
  // Which account a managed login without a stored account_id is restricted by is not pinned here
  // (the id_token claim or nothing): such a login is not judged with a forced workspace.
  if (input.forced !== 'none' && input.auth.mode === 'chatgpt' && (input.auth as { accountIdStored?: boolean }).accountIdStored === false) {
    return RULES.map((id) => skip(id, 'a managed login without a stored account_id is not judged against forced_chatgpt_workspace_id', caseId));
  }
  const urls = ctx.mock.beginCase(caseId);
  try {
    const seeded = await seedAuth(ctx.mock.backend, input.auth, { caseId });
    const { config, env } = requestCaseConfig(urls, { auth: input.auth, base: MOCK_BACKEND_API, appsEnabled: true, openaiBase: !input.envBase, agentOverrides: 'pair' }, ctx.mock.productionHosts);
    // The custom provider and OPENAI_BASE_URL point at a second mock prefix, apart from openai_base_url.
    const otherBase = `${urls.root}/api/codex`;
    const provider = providerSpec(input.provider, otherBase);
    const forced = input.forced === 'none' ? undefined : input.forced === 'own' ? [seeded.accountId ?? OTHER_WORKSPACE] : [OTHER_WORKSPACE];
    const setupConfig: CaseSetup['config'] = {
      chatgptBaseUrl: config.chatgptBaseUrl!,
      ...(config.openaiBaseUrl !== undefined ? { openaiBaseUrl: config.openaiBaseUrl } : {}),
      appsEnabled: true,
      ...(provider === undefined ? {} : { modelProvider: { baseUrl: provider.baseUrl, requiresOpenaiAuth: provider.requiresOpenaiAuth, ...(provider.ownAuth === 'bearerToken' ? { bearerToken: PROVIDER_TOKEN } : {}) } }),
      ...(forced === undefined ? {} : { forcedChatgptWorkspaceIds: forced }),
    };
    const home = await freshHome(ctx, caseId);
    const setup: CaseSetup = { caseId, home, ...seeded.setup, env: { ...seeded.setup.env, ...env, ...(input.envBase ? { OPENAI_BASE_URL: otherBase } : {}) }, config: setupConfig };
    const outcome = await withSession(ctx, setup, (s) => s.invoke(callsiteId));
    if (outcome.kind === 'skipped') return RULES.map((id) => skip(id, `implementation skipped ${callsiteId}: ${outcome.reason}`, caseId));
    const judged: ScopingCase = {
      caseId,
      // A Headers map without chatgpt-account-id names no workspace, whatever account its token is of.
      auth: { mode: seeded.expected.mode, ...(seeded.accountId === undefined || (input.auth.mode === 'headers' && input.auth.accountHeader !== true) ? {} : { accountId: seeded.accountId }) },
      call: input.call,
      ...(provider === undefined ? {} : { modelProvider: provider }),
      ...(forced === undefined ? {} : { forcedWorkspaceIds: forced }),
      ...(input.envBase ? { envOpenaiBaseUrl: otherBase } : {}),
      outcome: outcome.kind,
    };
    return checkScoping(judged, ctx.mock.journal(caseId));
  } finally {
    ctx.mock.endCase();
  }
}

export const scopingSuite: Suite = {
  id: 'scoping',
  title: 'Credentials scoped beyond the auth mode: custom model providers, the forced workspace, usage polling, OPENAI_BASE_URL',
  rules: RULES,
  run(ctx) {
    const modes = caseModes(ctx);
    return runProperty(this, ctx, {
      arbitrary: () => scopingCase(modes, ctx.profile),
      examples: scopingExamples(ctx.profile, modes),
      execute: (input, caseId) => executeScopingCase(ctx, input, caseId),
      show: showScopingCase,
    });
  },
};
