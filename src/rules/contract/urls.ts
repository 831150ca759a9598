/**
 * Where the contract says each request goes, per profile: the oracle's own derivations, written
 * from the source and sharing nothing with the reference client's src/urls/. Each function names
 * the source it is read from.
 */
import type { AuthMode } from '../../auth/codex-auth.js';
import { assertNever } from '../../assert-never.js';
import type { ProfileId } from '../profiles.js';
import { contractFeatures } from './features.js';
import { modeFacts } from './modes.js';

export interface UrlConfig {
  readonly chatgptBaseUrl?: string | undefined;
  readonly openaiBaseUrl?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Config default `chatgpt_base_url`. */
export const CONTRACT_DEFAULT_CHATGPT_BASE = 'https://chatgpt.com/backend-api/';
/** `CHATGPT_CODEX_BASE_URL` (codex-rs/model-provider-info/src/lib.rs): model traffic of codex-backend auth. */
export const CONTRACT_CHATGPT_CODEX_BASE = 'https://chatgpt.com/backend-api/codex';
/** The built-in openai provider's default base for API keys. */
export const CONTRACT_OPENAI_API_BASE = 'https://api.openai.com/v1';
/** `DEFAULT` token endpoint (codex-rs/login/src/auth/manager.rs), overridden by CODEX_REFRESH_TOKEN_URL_OVERRIDE. */
export const CONTRACT_TOKEN_URL = 'https://auth.openai.com/oauth/token';

function trimSlashes(s: string): string {
  return s.replace(/\/+$/u, '');
}

function env(config: UrlConfig, name: string): string | undefined {
  const v = config.env?.[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

const CHATGPT_HOSTS = ['https://chatgpt.com', 'https://chat.openai.com'];

/**
 * The backend client's base (codex-rs/backend-client/src/client.rs `Client::new`): trailing `/`
 * trimmed; a bare chatgpt.com / chat.openai.com without `/backend-api` gets `/backend-api`.
 */
export function contractBackendBase(config: UrlConfig): string {
  let base = trimSlashes(config.chatgptBaseUrl ?? CONTRACT_DEFAULT_CHATGPT_BASE);
  if (CHATGPT_HOSTS.some((h) => base.startsWith(h)) && !base.includes('/backend-api')) base = `${base}/backend-api`;
  return base;
}

/** `PathStyle::from_base_url`: `/backend-api` in the base selects `/wham/...` paths. */
export function contractPathStyle(normalizedBase: string): 'wham' | 'codexApi' {
  return normalizedBase.includes('/backend-api') ? 'wham' : 'codexApi';
}

/** A backend-client request: `{normalized base}{path of the base's style}`. */
export function contractBackendUrl(paths: { readonly wham: string; readonly codexApi: string }, config: UrlConfig): string {
  const base = contractBackendBase(config);
  return `${base}${paths[contractPathStyle(base)]}`;
}

/**
 * The Codex Apps MCP URL (codex-rs/codex-mcp/src/mcp/mod.rs `codex_apps_mcp_url_for_base_url`):
 * trailing `/` trimmed, a chatgpt.com / chat.openai.com base without `/backend-api` gets it; then
 *  - pr18811 (`/wham/apps` era): `/backend-api` -> `{base}/wham/apps`; `/api/codex` -> `{base}/apps`;
 *    else `{base}/api/codex/apps`;
 *  - codex-0.171 (`/ps/mcp` since PR #34389): `/backend-api` or `/api/codex` kept, else
 *    `/api/codex` appended; then `/ps/mcp`.
 */
export function contractAppsUrl(profile: ProfileId, config: UrlConfig): string {
  let base = trimSlashes(config.chatgptBaseUrl ?? CONTRACT_DEFAULT_CHATGPT_BASE);
  // `normalize_codex_apps_base_url`: a chatgpt.com base without `/backend-api` gets it, even after `/api/codex`.
  if (CHATGPT_HOSTS.some((h) => base.startsWith(h)) && !base.includes('/backend-api')) base = `${base}/backend-api`;
  const path = contractFeatures(profile).appsPath;
  switch (path) {
    case 'whamApps':
      if (base.includes('/backend-api')) return `${base}/wham/apps`;
      if (base.includes('/api/codex')) return `${base}/apps`;
      return `${base}/api/codex/apps`;
    case 'psMcp':
      if (!base.includes('/backend-api') && !base.includes('/api/codex')) base = `${base}/api/codex`;
      return `${base}/ps/mcp`;
    default:
      return assertNever(path, 'apps path');
  }
}

/**
 * Whether ChatGPT credentials may go to this Apps MCP URL. pr18811: always (no trust gate yet).
 * codex-0.171 (`is_trusted_chatgpt_mcp_server`, PR #29924 / #36983): the URL's origin is
 * https://chatgpt.com, or the configured base is https on chatgpt-staging.com (or a subdomain)
 * with the same origin as the URL.
 */
export function contractAppsTrusted(profile: ProfileId, appsUrl: string, config: UrlConfig): boolean {
  const trust = contractFeatures(profile).appsTrust;
  if (trust === 'none') return true;
  const parse = (u: string): URL | undefined => (URL.canParse(u) ? new URL(u) : undefined);
  const mcp = parse(appsUrl);
  if (mcp === undefined) return false;
  if (mcp.origin === 'https://chatgpt.com') return true;
  const base = parse(config.chatgptBaseUrl ?? CONTRACT_DEFAULT_CHATGPT_BASE);
  if (base === undefined || base.protocol !== 'https:') return false;
  const staging = base.hostname === 'chatgpt-staging.com' || base.hostname.endsWith('.chatgpt-staging.com');
  return trust === 'productionAndStaging' && staging && base.origin === mcp.origin;
}

/**
 * The agent identity JWKS URL (codex-rs/agent-identity/src/lib.rs `agent_identity_jwks_url`), the
 * base trailing `/` trimmed: `/backend-api` -> `{base}/wham/agent-identities/jwks`, else
 * `{base}/agent-identities/jwks`; env CODEX_AGENT_IDENTITY_JWKS_BASE_URL replaces the base.
 * Undefined where the profile verifies no JWT (PR #18811: the identity is an auth.json record).
 */
export function contractJwksUrl(profile: ProfileId, config: UrlConfig): string | undefined {
  if (contractFeatures(profile).agentIdentity !== 'verifiedJwt') return undefined;
  const override = env(config, 'CODEX_AGENT_IDENTITY_JWKS_BASE_URL');
  const base = trimSlashes(override ?? config.chatgptBaseUrl ?? CONTRACT_DEFAULT_CHATGPT_BASE);
  if (base.includes('/backend-api')) return `${base}/wham/agent-identities/jwks`;
  return `${base}/agent-identities/jwks`;
}

export type AuthapiExpectation =
  | { readonly kind: 'url'; readonly base: string }
  | { readonly kind: 'refused'; readonly why: string }
  /** The pinned source does not settle it: the rule is not judged for this configuration. */
  | { readonly kind: 'unknown'; readonly why: string };

const PROD_AUTHAPI = 'https://auth.openai.com/api/accounts';
const STAGING_AUTHAPI = 'https://auth.api.openai.org/api/accounts';

/**
 * `normalize_chatgpt_base_url` of PR #18811 (codex-rs/agent-identity/src/lib.rs): trailing `/`
 * trimmed, one remote-control suffix stripped, a trailing `/codex` stripped, bare chatgpt.com /
 * chat.openai.com get `/backend-api`. Whether `/api/codex` loses its `/codex` is not settled by
 * the pinned source (the version read strips it; the facts page says it is kept): undefined then.
 */
function pr18811NormalizedBase(raw: string): string | undefined {
  let base = trimSlashes(raw);
  for (const suffix of ['/wham/remote/control/server/enroll', '/wham/remote/control/server']) {
    if (base.endsWith(suffix)) {
      base = base.slice(0, -suffix.length);
      break;
    }
  }
  if (base.endsWith('/api/codex')) return undefined;
  if (base.endsWith('/codex')) base = base.slice(0, -'/codex'.length);
  if (CHATGPT_HOSTS.some((h) => base.startsWith(h)) && !base.includes('/backend-api') && !base.includes('/api/codex')) base = `${base}/backend-api`;
  return base;
}

function environmentOf(raw: string | undefined): 'production' | 'staging' | undefined {
  if (raw === undefined) return 'production';
  const base = trimSlashes(raw.trim());
  const spellings = (host: string): string[] => [host, `${host}/backend-api`, `${host}/codex`, `${host}/backend-api/codex`];
  if ([...spellings('https://chatgpt.com'), ...spellings('https://chat.openai.com')].includes(base)) return 'production';
  if (spellings('https://chatgpt-staging.com').includes(base)) return 'staging';
  return undefined;
}

/**
 * The base task registration goes to (then `/v1/agent/{agent_runtime_id}/task/register`):
 *  - pr18811 (codex-rs/login/src/auth/agent_identity.rs, content of 0.125.0): the normalized
 *    ChatGPT base itself (default https://chatgpt.com/backend-api); no authapi host, no override;
 *  - codex-0.171 (`ChatGptEnvironment`, codex-rs/agent-identity/src/lib.rs): only exact production
 *    and staging bases; the env override wins for those, and for any other base only when
 *    CODEX_AGENT_IDENTITY_JWKS_BASE_URL equals the configured base; otherwise agent identity is refused.
 */
export function contractAuthapiBase(profile: ProfileId, config: UrlConfig): AuthapiExpectation {
  const override = env(config, 'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL');
  const derivation = contractFeatures(profile).authapi;
  switch (derivation) {
    case 'chatgptBase': {
      const base = pr18811NormalizedBase(config.chatgptBaseUrl ?? 'https://chatgpt.com/backend-api');
      return base === undefined ? { kind: 'unknown', why: 'a base ending in /api/codex: the pinned source does not settle whether its /codex is stripped' } : { kind: 'url', base };
    }
    case 'productionAuthapi':
      return { kind: 'url', base: override !== undefined ? trimSlashes(override) : PROD_AUTHAPI };
    case 'chatgptEnvironment': {
      const environment = environmentOf(config.chatgptBaseUrl);
      if (environment !== undefined) return { kind: 'url', base: override !== undefined ? trimSlashes(override) : environment === 'production' ? PROD_AUTHAPI : STAGING_AUTHAPI };
      const jwksBase = env(config, 'CODEX_AGENT_IDENTITY_JWKS_BASE_URL');
      if (override !== undefined && jwksBase !== undefined && config.chatgptBaseUrl !== undefined && trimSlashes(jwksBase) === trimSlashes(config.chatgptBaseUrl.trim())) {
        return { kind: 'url', base: trimSlashes(override) };
      }
      return { kind: 'refused', why: 'Agent Identity only supports production and staging ChatGPT environments' };
    }
    default:
      return assertNever(derivation, 'authapi derivation');
  }
}

export type ModelTarget = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'none'; readonly why: string };

/**
 * Model traffic (codex-rs/model-provider-info/src/lib.rs `to_api_provider`): the provider's
 * configured base (`openai_base_url`) when set, else `CHATGPT_CODEX_BASE_URL` for codex-backend
 * auth and https://api.openai.com/v1 for API keys; never the configured `chatgpt_base_url`.
 * The model catalogue (codex-rs/models-manager/src/manager.rs `should_refresh_models`) is fetched
 * for codex-backend auth; for API keys only in codex-0.171 through API-key model discovery (built-in
 * provider, no `openai_base_url`), from the constant CHATGPT_CODEX_BASE_URL
 * (codex-rs/model-provider/src/models_endpoint.rs). Bedrock has no OpenAI model traffic.
 */
export function contractModelTarget(profile: ProfileId, mode: AuthMode, which: 'responses' | 'models', config: UrlConfig): ModelTarget {
  if (mode === 'bedrockApiKey') return { kind: 'none', why: 'Bedrock auth is only for the Amazon Bedrock provider' };
  const configured = config.openaiBaseUrl === undefined ? undefined : trimSlashes(config.openaiBaseUrl);
  const codexBackend = modeFacts(mode).usesCodexBackend;
  const base = configured ?? (codexBackend ? CONTRACT_CHATGPT_CODEX_BASE : CONTRACT_OPENAI_API_BASE);
  if (which === 'responses' || codexBackend) return { kind: 'url', url: `${base}/${which}` };
  const discovery = contractFeatures(profile).apiKeyModelDiscovery;
  if (discovery && configured === undefined) return { kind: 'url', url: `${CONTRACT_CHATGPT_CODEX_BASE}/models` };
  return { kind: 'none', why: discovery ? 'API-key model discovery is off with a configured openai_base_url' : 'the model catalogue is refreshed for codex-backend auth only' };
}

/** The token endpoint: env CODEX_REFRESH_TOKEN_URL_OVERRIDE when non-empty, else production. */
export function contractTokenUrl(config: UrlConfig): string {
  return config.env?.['CODEX_REFRESH_TOKEN_URL_OVERRIDE'] || CONTRACT_TOKEN_URL;
}

/** Hosts of the production services (a request there with another base configured needs a reason). */
export function isProductionHost(hostname: string): boolean {
  return ['chatgpt.com', 'chat.openai.com', 'api.openai.com', 'auth.openai.com'].includes(hostname) || hostname.endsWith('.openai.org');
}

