/**
 * What each contract profile's source does, feature by feature: the oracle's per-profile table.
 * Every derivation in src/rules/contract/ reads these flags (never a profile name), so adding a
 * profile for another release is one more row here plus rule membership in catalogue.ts.
 * Sources per feature: docs/contract-sources.md (first releases from the binaries' string tables).
 */
import type { AuthMode } from '../../auth/codex-auth.js';
import type { ProfileId } from '../profiles.js';

export interface ContractFeatures {
  /** Auth modes the release knows (PAT 0.138.0, Bedrock 0.140.0, Headers ~0.144.1). */
  readonly modes: readonly AuthMode[];
  /** An agent identity is a decoded auth.json record (PR #18811) or a JWT verified against the JWKS (0.128.0 on). */
  readonly agentIdentity: 'authJsonRecord' | 'verifiedJwt';
  /**
   * Where tasks are registered: the normalized ChatGPT base (PR #18811); the production authapi
   * with its env override (0.128.0-0.141); the exact production/staging environment map (0.142.0 on).
   */
  readonly authapi: 'chatgptBase' | 'productionAuthapi' | 'chatgptEnvironment';
  /** Registration attempts per load (retries after 429, 5xx or a transport error: 0.142.0 on). */
  readonly registrationAttempts: number;
  /** Codex Apps MCP path: `/wham/apps` (through 0.144.x) or `/ps/mcp` (0.145.0 on). */
  readonly appsPath: 'whamApps' | 'psMcp';
  /** ChatGPT credentials to Apps only on a trusted origin: never gated, production only (PR #29924), or production and staging (PR #36983). */
  readonly appsTrust: 'none' | 'production' | 'productionAndStaging';
  /** Proactive refresh when exp <= now + this many seconds (0 at PR #18811, 300 since PR #23546). */
  readonly refreshWindowSeconds: number;
  /** Permanent refresh failures: a 401 only (through 0.135), any known code too (0.136 on), and a 400 invalid_grant (0.171.0). */
  readonly permanentRefresh: 'unauthorizedOnly' | 'knownCodes' | 'knownCodesAndInvalidGrant';
  /** API keys fetch the model catalogue from the constant ChatGPT codex base (0.155.0 on). */
  readonly apiKeyModelDiscovery: boolean;
  /** Plans the cloud-requirements gate admits (business-like and Enterprise). */
  readonly requirementsPlans: readonly string[];
}

const SEED_PLANS = ['business', 'enterprise_cbp_usage_based', 'enterprise'] as const;

export const CONTRACT_FEATURES: Readonly<Record<ProfileId, ContractFeatures>> = {
  pr18811: {
    modes: ['apiKey', 'chatgpt', 'chatgptAuthTokens', 'agentIdentity'],
    agentIdentity: 'authJsonRecord',
    authapi: 'chatgptBase',
    registrationAttempts: 1,
    appsPath: 'whamApps',
    appsTrust: 'none',
    refreshWindowSeconds: 0,
    permanentRefresh: 'unauthorizedOnly',
    apiKeyModelDiscovery: false,
    requirementsPlans: SEED_PLANS,
  },
  'codex-0.171': {
    modes: ['apiKey', 'chatgpt', 'chatgptAuthTokens', 'agentIdentity', 'personalAccessToken', 'headers', 'bedrockApiKey'],
    agentIdentity: 'verifiedJwt',
    authapi: 'chatgptEnvironment',
    registrationAttempts: 3,
    appsPath: 'psMcp',
    appsTrust: 'productionAndStaging',
    refreshWindowSeconds: 300,
    permanentRefresh: 'knownCodesAndInvalidGrant',
    apiKeyModelDiscovery: true,
    requirementsPlans: [...SEED_PLANS, 'ent26', 'enterprise_cbp_automation'],
  },
};

export function contractFeatures(profile: ProfileId): ContractFeatures {
  return CONTRACT_FEATURES[profile];
}

/** The Apps header rule of a profile: no trust gate (HDR.APPS.001), or credentials on a trusted origin only (HDR.APPS.002 / .003). */
export function appsHeaderRule(profile: ProfileId, trusted: boolean): string {
  if (contractFeatures(profile).appsTrust === 'none') return 'HDR.APPS.001';
  return trusted ? 'HDR.APPS.002' : 'HDR.APPS.003';
}
