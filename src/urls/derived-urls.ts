/**
 * Every URL the Codex client derives from its configuration. Each function names the source it
 * models (paths in openai/codex) and the normalization that source applies.
 */
import type { AuthMode } from '../auth/codex-auth.js';
import { assertNever } from '../assert-never.js';
import type { PathStyle } from '../callsites/callsite.js';
import { ConformanceInputError } from '../errors.js';
import {
  normalizeBackendClientBaseUrl,
  normalizeChatgptBaseUrl,
  trimTrailingSlashes,
} from './normalize-chatgpt-base-url.js';
import { pathStyleFor } from './path-style.js';

/** Config default `chatgpt_base_url` (codex-rs/core/src/config: default chatgpt base URL). */
export const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api/';
/** Default OpenAI API base for API-key auth (codex-rs/model-provider, built-in `openai` provider). */
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** codex-rs/login/src/auth/agent_identity.rs: `DEFAULT_CHATGPT_BACKEND_BASE_URL`. */
const AUTHAPI_DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api';
export const AGENT_IDENTITY_AUTHAPI_ENV = 'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL';

/** codex-rs/login/src/auth/manager.rs: refresh endpoint and its env override. */
export const DEFAULT_TOKEN_REFRESH_URL = 'https://auth.openai.com/oauth/token';
export const TOKEN_REFRESH_URL_OVERRIDE_ENV = 'CODEX_REFRESH_TOKEN_URL_OVERRIDE';

/** A backend path, given either already spelled or per path style (a Callsite fits). */
export type BackendPath = string | { path(style: PathStyle): string };

/**
 * `{normalized base}{path}` where the path is chosen by the base's path style
 * (codex-rs/backend-client/src/client.rs: `PathStyle::from_base_url`, then per-endpoint paths).
 */
export function backendUrl(base: string, callsitePath: BackendPath): string {
  const normalized = normalizeBackendClientBaseUrl(base);
  const path = typeof callsitePath === 'string' ? callsitePath : callsitePath.path(pathStyleFor(normalized));
  // Stryker disable all: equivalent because every caller's path starts with "/" (the callsite catalogue's paths and DISCOVERY_PATH are constants); the guard only names harness misuse, in message text no rule judges
  if (!path.startsWith('/')) {
    throw new ConformanceInputError(
      'BAD_URL',
      `backend path ${JSON.stringify(path.slice(0, 120))} does not start with "/".`,
      'give callsite paths as absolute paths such as "/wham/tasks/list".',
    );
  }
  // Stryker restore all
  return `${normalized}${path}`;
}

/**
 * Codex Apps MCP endpoint variants:
 *  - `whamApps` (older, codex-rs/core/src/mcp/mod.rs `codex_apps_mcp_url_for_base_url`):
 *    `/backend-api` -> `{base}/wham/apps`; `/api/codex` -> `{base}/apps`; else `{base}/api/codex/apps`.
 *  - `psMcp` (newer, the plugin-service path; observed as `POST /backend-api/ps/mcp` from
 *    @openai/codex 0.171.0): `/backend-api` -> `{base}/ps/mcp`; `/api/codex` -> `{base}/ps/mcp`;
 *    else `{base}/api/codex/ps/mcp` (test `codex_apps_mcp_url_for_base_url_uses_plugin_service_paths`).
 * Both trim trailing `/` and append `/backend-api` to bare chatgpt.com / chat.openai.com.
 */
export const APPS_MCP_VARIANTS = ['psMcp', 'whamApps'] as const;
export type AppsMcpVariant = (typeof APPS_MCP_VARIANTS)[number];
/** The 0.171.0-era behaviour. */
export const DEFAULT_APPS_MCP_VARIANT: AppsMcpVariant = 'psMcp';

export function appsMcpUrl(base: string, variant: AppsMcpVariant = DEFAULT_APPS_MCP_VARIANT): string {
  const normalized = normalizeBackendClientBaseUrl(base);
  const hasBackendApi = normalized.includes('/backend-api');
  const hasCodexApi = normalized.includes('/api/codex');
  switch (variant) {
    case 'whamApps':
      if (hasBackendApi) return `${normalized}/wham/apps`;
      if (hasCodexApi) return `${normalized}/apps`;
      return `${normalized}/api/codex/apps`;
    case 'psMcp':
      if (hasBackendApi || hasCodexApi) return `${normalized}/ps/mcp`;
      return `${normalized}/api/codex/ps/mcp`;
    default:
      // Stryker disable next-line all: equivalent because the variant is one of the two (the type is exhaustive; the profile names it)
      return assertNever(variant, 'apps MCP variant');
  }
}

export const AGENT_IDENTITY_JWKS_ENV = 'CODEX_AGENT_IDENTITY_JWKS_BASE_URL';

/**
 * codex-rs/agent-identity/src/lib.rs `agent_identity_jwks_url` (rust-v0.171.0; trailing `/`
 * trimmed): `/backend-api` -> `{base}/wham/agent-identities/jwks`, else
 * `{base}/agent-identities/jwks`; env CODEX_AGENT_IDENTITY_JWKS_BASE_URL (trimmed, non-empty)
 * replaces the base. Only the codex-0.171 profile verifies an identity JWT, so this is the only
 * derivation the reference uses (PR #18811's identity is an auth.json record: no JWKS).
 */
export function agentJwksUrl(base: string, env: Record<string, string | undefined> = {}): string {
  const override = env[AGENT_IDENTITY_JWKS_ENV]?.trim();
  const trimmed = trimTrailingSlashes(override !== undefined && override !== '' ? override : base);
  normalizeChatgptBaseUrl(trimmed); // validation only: BAD_URL on garbage
  if (trimmed.includes('/backend-api')) return `${trimmed}/wham/agent-identities/jwks`;
  return `${trimmed}/agent-identities/jwks`;
}

/**
 * Authapi derivations: `chatgptBase` (PR #18811: tasks register at the normalized ChatGPT base
 * itself) or `chatgptEnvironment` (0.142.0 on: the environment map). The gateway-host derivation
 * of the reviewed head of PR #19635, which no release shipped and no profile uses, is gone.
 */
export type AuthapiDerivation = 'chatgptBase' | 'chatgptEnvironment';
export const PRODUCTION_AUTHAPI_BASE_URL = 'https://auth.openai.com/api/accounts';
export const STAGING_AUTHAPI_BASE_URL = 'https://auth.api.openai.org/api/accounts';
const PRODUCTION_CHATGPT_BASES = ['https://chatgpt.com', 'https://chat.openai.com'].flatMap((h) => [h, `${h}/backend-api`, `${h}/codex`, `${h}/backend-api/codex`]);
const STAGING_CHATGPT_BASES = ['https://chatgpt-staging.com'].flatMap((h) => [h, `${h}/backend-api`, `${h}/codex`, `${h}/backend-api/codex`]);

/** Which ChatGPT environment a configured base names, exactly (trailing `/` trimmed), if any. */
export function chatgptEnvironment(base: string | undefined): 'production' | 'staging' | undefined {
  if (base === undefined) return 'production';
  const trimmed = trimTrailingSlashes(base.trim());
  if (PRODUCTION_CHATGPT_BASES.includes(trimmed)) return 'production';
  if (STAGING_CHATGPT_BASES.includes(trimmed)) return 'staging';
  return undefined;
}

/**
 * The newer authapi derivation (codex-rs/agent-identity/src/lib.rs `ChatGptEnvironment`,
 * codex-rs/login/src/auth/agent_identity.rs `agent_identity_authapi_base_url`): a production base
 * -> https://auth.openai.com/api/accounts, a staging base -> https://auth.api.openai.org/api/accounts;
 * env CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL wins for a known environment, and for any other base
 * only when CODEX_AGENT_IDENTITY_JWKS_BASE_URL equals the configured base; otherwise a typed
 * BAD_CONFIG ("Agent Identity only supports production and staging ChatGPT environments").
 */
function environmentAuthapiBase(chatgptBaseUrl: string | undefined, env: Record<string, string | undefined>): string {
  const override = trimTrailingSlashes(env[AGENT_IDENTITY_AUTHAPI_ENV]?.trim() ?? '');
  const environment = chatgptEnvironment(chatgptBaseUrl);
  if (environment !== undefined) {
    if (override !== '') return override;
    return environment === 'production' ? PRODUCTION_AUTHAPI_BASE_URL : STAGING_AUTHAPI_BASE_URL;
  }
  const jwksBase = trimTrailingSlashes(env[AGENT_IDENTITY_JWKS_ENV]?.trim() ?? '');
  if (override !== '' && chatgptBaseUrl !== undefined && jwksBase !== '' && jwksBase === trimTrailingSlashes(chatgptBaseUrl.trim())) return override;
  throw new ConformanceInputError(
    'BAD_CONFIG',
    `Agent Identity only supports production and staging ChatGPT environments; chatgpt_base_url ${JSON.stringify(String(chatgptBaseUrl).slice(0, 120))} is neither.`,
    `use https://chatgpt.com/backend-api/ (or staging), or set ${AGENT_IDENTITY_AUTHAPI_ENV} together with ${AGENT_IDENTITY_JWKS_ENV} equal to the configured base.`,
  );
}

/**
 * codex-rs/login/src/auth/agent_identity.rs `agent_identity_authapi_base_url`, per derivation:
 * `chatgptBase` registers at the normalized ChatGPT base (default
 * https://chatgpt.com/backend-api); `chatgptEnvironment` maps the environment (above).
 */
export function agentIdentityAuthapiBaseUrl(chatgptBaseUrl: string | undefined, env: Record<string, string | undefined>, derivation: AuthapiDerivation): string {
  switch (derivation) {
    case 'chatgptEnvironment':
      return environmentAuthapiBase(chatgptBaseUrl, env);
    case 'chatgptBase':
      return normalizeChatgptBaseUrl(chatgptBaseUrl ?? AUTHAPI_DEFAULT_CHATGPT_BASE_URL);
    default:
      // Stryker disable next-line all: equivalent because the derivation is one of the two (the type is exhaustive; the profile names it)
      return assertNever(derivation, 'authapi derivation');
  }
}

/** codex-rs/agent-identity/src/lib.rs `agent_task_registration_url`. */
export function agentTaskRegistrationUrl(authapiBase: string, agentRuntimeId: string): string {
  return `${trimTrailingSlashes(authapiBase)}/v1/agent/${agentRuntimeId}/task/register`;
}

export interface ModelBaseUrls {
  readonly chatgptBaseUrl?: string | undefined;
  readonly openaiBaseUrl?: string | undefined;
}

/** `CHATGPT_CODEX_BASE_URL` (codex-rs/model-provider-info/src/lib.rs): model traffic of codex-backend auth. */
export const CHATGPT_CODEX_BASE_URL = 'https://chatgpt.com/backend-api/codex';

/**
 * Base of model traffic (codex-rs/model-provider-info/src/lib.rs `to_api_provider`, every release
 * from PR #18811 to 0.171.0): the provider's configured base (`openai_base_url`) when set, else
 * the constant CHATGPT_CODEX_BASE_URL for codex-backend auth and https://api.openai.com/v1 for API
 * keys. The configured `chatgpt_base_url` does not move model traffic.
 */
export function modelApiBase(mode: AuthMode, urls: ModelBaseUrls): string {
  if (urls.openaiBaseUrl !== undefined) return openaiBase(urls.openaiBaseUrl);
  switch (mode) {
    case 'apiKey':
    case 'bedrockApiKey':
      return DEFAULT_OPENAI_BASE_URL;
    case 'chatgpt':
    case 'chatgptAuthTokens':
    case 'agentIdentity':
    case 'personalAccessToken':
    case 'headers':
      return CHATGPT_CODEX_BASE_URL;
    default:
      // Stryker disable next-line all: equivalent because the mode is one of the union's (the type is exhaustive)
      return assertNever(mode, 'auth mode');
  }
}

/** `POST {model base}/responses`. */
export function responsesUrl(mode: AuthMode, urls: ModelBaseUrls): string {
  return `${modelApiBase(mode, urls)}/responses`;
}

/** `GET {model base}/models` (the model refresh; the real client adds `?client_version=`). */
export function modelsUrl(mode: AuthMode, urls: ModelBaseUrls): string {
  return `${modelApiBase(mode, urls)}/models`;
}

/** codex-rs/login/src/auth/manager.rs: env CODEX_REFRESH_TOKEN_URL_OVERRIDE wins, else the default. */
export function tokenRefreshUrl(env: Record<string, string | undefined>): string {
  const override = env[TOKEN_REFRESH_URL_OVERRIDE_ENV];
  if (override !== undefined && override !== '') return override;
  return DEFAULT_TOKEN_REFRESH_URL;
}

function openaiBase(configured: string | undefined): string {
  const base = trimTrailingSlashes(configured ?? DEFAULT_OPENAI_BASE_URL);
  if (!URL.canParse(base) || !/^https?:/u.test(base)) {
    // Stryker disable next-line all: message text, not judged
    throw new ConformanceInputError(
      'BAD_URL',
      `the OpenAI base URL ${JSON.stringify(base.slice(0, 120))} is not an absolute http(s) URL.`,
      'set openai_base_url to e.g. https://api.openai.com/v1 or http://127.0.0.1:PORT/v1.',
    );
  }
  return base;
}

/** The origin of CHATGPT_CODEX_BASE_URL (codex-rs/model-provider-info/src/lib.rs). */
export const TRUSTED_CHATGPT_ORIGIN = 'https://chatgpt.com';

/**
 * `is_trusted_chatgpt_mcp_server` (codex-rs/codex-mcp/src/mcp/mod.rs, PR #29924 and #36983):
 * the MCP URL's origin is https://chatgpt.com (scheme, host and port), or the configured base is
 * https on chatgpt-staging.com (or a subdomain) and has the MCP URL's origin.
 */
export function isTrustedAppsOrigin(mcpUrl: string, chatgptBaseUrl: string): boolean {
  let mcp: URL;
  try {
    mcp = new URL(mcpUrl);
  } catch {
    return false;
  }
  if (mcp.origin === TRUSTED_CHATGPT_ORIGIN) return true;
  let base: URL;
  try {
    base = new URL(chatgptBaseUrl);
  } catch {
    return false;
  }
  const staging = base.hostname === 'chatgpt-staging.com' || base.hostname.endsWith('.chatgpt-staging.com');
  return base.protocol === 'https:' && staging && base.origin === mcp.origin;
}
