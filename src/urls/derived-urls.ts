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
export const PROD_AGENT_IDENTITY_AUTHAPI_BASE_URL =
  'https://authapi-login-provider.gateway.unified-7.internal.api.openai.org/api/accounts';
export const STAGING_AGENT_IDENTITY_AUTHAPI_BASE_URL =
  'https://authapi-login-provider.gateway.unified-0s.internal.api.openai.org/api/accounts';

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
  if (!path.startsWith('/')) {
    throw new ConformanceInputError(
      'BAD_URL',
      `backend path ${JSON.stringify(path.slice(0, 120))} does not start with "/".`,
      'give callsite paths as absolute paths such as "/wham/tasks/list".',
    );
  }
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
      return assertNever(variant, 'apps MCP variant');
  }
}

/** codex-rs/agent-identity/src/lib.rs `agent_identity_jwks_url` (trailing `/` trimmed). */
export function agentJwksUrl(base: string): string {
  const trimmed = trimTrailingSlashes(base);
  normalizeChatgptBaseUrl(trimmed); // validation only: BAD_URL on garbage
  if (trimmed.includes('/backend-api')) return `${trimmed}/wham/agent-identities/jwks`;
  if (trimmed.includes('/api/codex')) return `${trimmed}/agent-identities/jwks`;
  return `${trimmed}/api/codex/agent-identities/jwks`;
}

/**
 * codex-rs/login/src/auth/agent_identity.rs `agent_identity_authapi_base_url`:
 *  1. env CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL, trimmed (whitespace, then trailing `/`), wins if non-empty;
 *  2. the ChatGPT base URL defaults to https://chatgpt.com/backend-api when unset;
 *  3. containing `chatgpt-staging.com` or `openai-staging.com` -> staging authapi;
 *  4. starting with `http://localhost`, `http://127.0.0.1` or `http://[::1]` -> the normalized base;
 *  5. anything else -> production authapi.
 * A caller that drops the configured base lands on production (PR #18811 review finding 1).
 */
export function agentIdentityAuthapiBaseUrl(
  chatgptBaseUrl: string | undefined,
  env: Record<string, string | undefined>,
): string {
  const override = env[AGENT_IDENTITY_AUTHAPI_ENV];
  if (override !== undefined) {
    const trimmed = trimTrailingSlashes(override.trim());
    if (trimmed !== '') return trimmed;
  }
  const base = chatgptBaseUrl ?? AUTHAPI_DEFAULT_CHATGPT_BASE_URL;
  if (base.includes('chatgpt-staging.com') || base.includes('openai-staging.com')) {
    return STAGING_AGENT_IDENTITY_AUTHAPI_BASE_URL;
  }
  if (base.startsWith('http://localhost') || base.startsWith('http://127.0.0.1') || base.startsWith('http://[::1]')) {
    return normalizeChatgptBaseUrl(base);
  }
  return PROD_AGENT_IDENTITY_AUTHAPI_BASE_URL;
}

/** codex-rs/agent-identity/src/lib.rs `agent_task_registration_url`. */
export function agentTaskRegistrationUrl(authapiBase: string, agentRuntimeId: string): string {
  return `${trimTrailingSlashes(authapiBase)}/v1/agent/${agentRuntimeId}/task/register`;
}

export interface ModelBaseUrls {
  readonly chatgptBaseUrl?: string | undefined;
  readonly openaiBaseUrl?: string | undefined;
}

/**
 * Base of model traffic: API-key auth -> the OpenAI API base (config `openai_base_url`);
 * codex-backend modes -> `{normalized chatgpt base}/codex`.
 * Sources: codex-rs/model-provider (built-in openai provider), codex-rs/core/src/client.rs.
 */
export function modelApiBase(mode: AuthMode, urls: ModelBaseUrls): string {
  switch (mode) {
    case 'apiKey':
      return openaiBase(urls.openaiBaseUrl);
    case 'chatgpt':
    case 'chatgptAuthTokens':
    case 'agentIdentity':
      return `${normalizeChatgptBaseUrl(urls.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL)}/codex`;
    default:
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
    throw new ConformanceInputError(
      'BAD_URL',
      `the OpenAI base URL ${JSON.stringify(base.slice(0, 120))} is not an absolute http(s) URL.`,
      'set openai_base_url to e.g. https://api.openai.com/v1 or http://127.0.0.1:PORT/v1.',
    );
  }
  return base;
}
