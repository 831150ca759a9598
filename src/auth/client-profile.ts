/**
 * How the reference client behaves under each contract profile: the knobs a Codex release turns,
 * like a feature flag. These values belong to the reference implementation (it is one
 * implementation under test like any other); the rules derive their expectations from their own
 * source-pinned tables in src/rules/contract/, never from these.
 */
import type { ProfileId } from '../rules/profiles.js';
import { ConformanceInputError } from '../errors.js';
import { AUTH_MODES, SEED_AUTH_MODES, type AuthMode } from './codex-auth.js';

export interface ClientProfile {
  readonly id: ProfileId;
  /** Auth modes this client knows. */
  readonly modes: readonly AuthMode[];
  /** CODEX_ACCESS_TOKEN values starting with `at-` are personal access tokens (else agent identity JWTs). */
  readonly personalAccessTokens: boolean;
  /** Proactive refresh when the access token expires within this many milliseconds (0: once it has expired). */
  readonly refreshWindowMs: number;
  /**
   * Which token-endpoint failures are permanent: only a 401 (PR #18811; a known code in a 400 is
   * transient), or a 401, a known code at any status and a 400 `invalid_grant` (0.171.0).
   */
  readonly permanentRefreshFailures: 'unauthorizedOnly' | 'codesAndInvalidGrant';
  /** Codex Apps MCP endpoint: `/wham/apps` (seed era) or `/ps/mcp` (PR #34389). */
  readonly appsMcp: 'whamApps' | 'psMcp';
  /** ChatGPT credentials go to the Codex Apps MCP server only on a trusted origin (PR #29924). */
  readonly appsTrustedOriginOnly: boolean;
  /**
   * Where an agent identity comes from: a decoded record in auth.json (PR #18811, no JWT, no JWKS)
   * or a JWT (CODEX_ACCESS_TOKEN or auth.json) verified against the JWKS (0.128.0 on).
   */
  readonly agentIdentity: 'authJsonRecord' | 'verifiedJwt';
  /**
   * Where tasks are registered: the normalized ChatGPT base itself (PR #18811) or the authapi of
   * the ChatGPT environment (0.142.0 on).
   */
  readonly authapi: 'chatgptBase' | 'chatgptEnvironment';
  /** Task registration attempts per load (retries only after 429, 5xx or a transport error). */
  readonly registrationAttempts: number;
  /** API keys fetch the model catalogue from the constant ChatGPT codex base (API-key model discovery). */
  readonly apiKeyModelDiscovery: boolean;
  /**
   * A refresh holds a cross-process credential lock (`auth.json.lock`) around the guarded reload,
   * the token request and the write (0.171.0's commit lock; none before: src/auth/credential-lock.ts).
   */
  readonly crossProcessRefreshLock: boolean;
  /** ChatGPT-account logins discover their workspace (`wham/accounts/check`) before model traffic (0.156.0 on). */
  readonly workspaceRouting: boolean;
  /** `OPENAI_BASE_URL` is read as `openai_base_url` when that key is unset (deprecated by PR #12031; gone by 0.171.0). */
  readonly openaiBaseUrlEnv: boolean;
  /**
   * Plans the cloud-requirements fetch runs for (`is_business_like() || Enterprise`): business,
   * enterprise_cbp_usage_based and enterprise, joined later by ent26 and enterprise_cbp_automation.
   */
  readonly requirementsPlans: readonly string[];
}

const SEED_REQUIREMENTS_PLANS = ['business', 'enterprise_cbp_usage_based', 'enterprise'] as const;

const FIVE_MINUTES_MS = 5 * 60_000;

export const CLIENT_PROFILES: Readonly<Record<ProfileId, ClientProfile>> = Object.freeze({
  pr18811: {
    id: 'pr18811',
    modes: SEED_AUTH_MODES,
    personalAccessTokens: false,
    refreshWindowMs: 0,
    permanentRefreshFailures: 'unauthorizedOnly',
    appsMcp: 'whamApps',
    appsTrustedOriginOnly: false,
    agentIdentity: 'authJsonRecord',
    authapi: 'chatgptBase',
    registrationAttempts: 1,
    apiKeyModelDiscovery: false,
    crossProcessRefreshLock: false,
    workspaceRouting: false,
    openaiBaseUrlEnv: true,
    requirementsPlans: SEED_REQUIREMENTS_PLANS,
  },
  'codex-0.171': {
    id: 'codex-0.171',
    modes: AUTH_MODES,
    personalAccessTokens: true,
    refreshWindowMs: FIVE_MINUTES_MS,
    permanentRefreshFailures: 'codesAndInvalidGrant',
    appsMcp: 'psMcp',
    appsTrustedOriginOnly: true,
    agentIdentity: 'verifiedJwt',
    authapi: 'chatgptEnvironment',
    registrationAttempts: 3,
    apiKeyModelDiscovery: true,
    crossProcessRefreshLock: true,
    workspaceRouting: true,
    openaiBaseUrlEnv: false,
    requirementsPlans: [...SEED_REQUIREMENTS_PLANS, 'ent26', 'enterprise_cbp_automation'],
  },
});

/** The newest behaviour, used when a caller names no profile. */
export const DEFAULT_CLIENT_PROFILE: ClientProfile = CLIENT_PROFILES['codex-0.171'];

export function clientProfile(id: ProfileId): ClientProfile {
  const found = CLIENT_PROFILES[id];
  if (found === undefined) throw new ConformanceInputError('USAGE', `the reference has no behaviour for profile ${JSON.stringify(String(id))}.`, 'pass a profile listed by `codex-auth-conformance rules --profile`.');
  return found;
}
