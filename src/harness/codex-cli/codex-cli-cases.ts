import type { SeedAuthMode as AuthMode } from '../../auth/codex-auth.js';
import type { PlanType } from '../../../mocks/state/accounts.js';
import type { RefreshErrorCode } from '../../../mocks/faults.js';
import { ConformanceInputError } from '../../errors.js';

/**
 * The black-box cases the codex-cli suite runs. The first six are one non-interactive turn per
 * auth mode (plus a FedRAMP workspace account and a forged identity JWT). The others set up the
 * mock and the CODEX_HOME so the binary reaches rules a plain turn does not: token refresh
 * (expired, inside the refresh window, revoked on the backend, each permanent failure class),
 * a non-default https ChatGPT base on its own host name (Codex Apps there is an untrusted
 * origin), the staging ChatGPT base for agent identity, the Apps tools cache across two
 * accounts sharing one CODEX_HOME, and host-provided tokens refreshed by the host over JSON-RPC.
 * How each mode is driven is recorded in docs/real-cli.md §5.
 */
export const CODEX_CLI_CASE_IDS = [
  'apiKey',
  'chatgpt',
  'chatgptFedramp',
  'agentIdentity',
  'agentIdentityForged',
  'chatgptAuthTokens',
  'refreshExpired',
  'refreshWindow',
  'refreshRevoked',
  'refreshFailExpired',
  'refreshFailReused',
  'refreshFailRevoked',
  'refreshFailInvalidGrant',
  'customBase',
  'agentStaging',
  'appsCacheSwitch',
  'hostTokensRefresh',
  'personalAccessToken',
  'appsCacheSwitchLive',
  'customProvider',
  'forcedWorkspaceOther',
] as const;
export type CodexCliCaseId = (typeof CODEX_CLI_CASE_IDS)[number];

export type CodexCliFlow = 'exec' | 'appServer';

/** The access token handed to the binary (managed ChatGPT auth only). */
export type TokenState = 'fresh' | 'expired' | 'inRefreshWindow' | 'revoked';

/** A refresh the token endpoint refuses: `code` in the error body, HTTP `status`. */
export interface RefreshRefusal {
  readonly code: RefreshErrorCode | 'invalid_grant';
  readonly status: number;
}

/** A custom https ChatGPT base on a host name the namespace maps to the mock. */
export const TENANT_HOST = 'codex.tenant-mock.test';
export const TENANT_BASE_URL = `https://${TENANT_HOST}/backend-api/`;
export const STAGING_BASE_URL = 'https://chatgpt-staging.com/backend-api/';
/** The staging authapi host (codex-rs/agent-identity/src/lib.rs `STAGING_AGENT_IDENTITY_AUTHAPI_BASE_URL`). */
export const STAGING_AUTHAPI_HOST = 'auth.api.openai.org';

export interface CodexCliCase {
  readonly id: CodexCliCaseId;
  readonly mode: AuthMode;
  readonly flow: CodexCliFlow;
  readonly title: string;
  /** The account the credentials belong to (API keys belong to none). */
  readonly account?: { readonly plan: PlanType; readonly fedramp: boolean };
  /** The identity JWT is re-signed with a key the mock's JWKS does not hold. */
  readonly forgedJwt?: boolean;
  /** Managed ChatGPT tokens: the access token's state (default fresh). */
  readonly tokens?: TokenState;
  /** The token endpoint refuses every refresh of this case. */
  readonly refreshRefusal?: RefreshRefusal;
  /** `chatgpt_base_url` in config.toml (default production). */
  readonly chatgptBaseUrl?: string;
  /** More host names the case's hosts file maps to its mock (and the certificate names). */
  readonly extraHosts?: readonly string[];
  /** Apps tools cache: a second account takes over the same CODEX_HOME for a second turn. */
  readonly switchAccount?: boolean;
  /** app-server: the host's first token is revoked on the backend; the host answers the refresh request with a fresh one. */
  readonly hostRefresh?: boolean;
  /**
   * End the turn once its evidence is in the journal: `modelTraffic` = the first Responses request
   * (the auth decision is made by then; a refused identity JWT otherwise retries for ~15 s).
   */
  readonly stopAfter?: 'modelTraffic';
  /** The credential is a personal access token in CODEX_ACCESS_TOKEN (judged like external tokens: Bearer + account, never a refresh). */
  readonly personalAccessToken?: boolean;
  /**
   * Scoping set-up (judged by src/rules/check-scoping.ts): `model_provider` names a custom provider
   * with `requires_openai_auth = false` at `modelProviderBaseUrl`; `forced_chatgpt_workspace_id`
   * naming a workspace the credential is not of.
   */
  readonly scoping?: { readonly modelProviderBaseUrl?: string; readonly forcedOtherWorkspace?: boolean };
}

/** A custom model provider on the tenant host (`/v1/responses` is served there). */
export const TENANT_V1_URL = `https://${TENANT_HOST}/v1`;
/** A workspace no case's credential belongs to. */
export const OTHER_WORKSPACE_ID = '00000000-0000-4000-8000-00000000ffff';

const PLUS = { plan: 'plus', fedramp: false } as const;

export const CODEX_CLI_CASES: readonly CodexCliCase[] = [
  { id: 'apiKey', mode: 'apiKey', flow: 'exec', title: 'API key in auth.json, `codex exec`' },
  { id: 'chatgpt', mode: 'chatgpt', flow: 'exec', title: 'ChatGPT tokens in auth.json (plus plan), `codex exec`', account: PLUS },
  { id: 'chatgptFedramp', mode: 'chatgpt', flow: 'exec', title: 'ChatGPT tokens of a FedRAMP enterprise workspace account, `codex exec`', account: { plan: 'enterprise', fedramp: true } },
  { id: 'agentIdentity', mode: 'agentIdentity', flow: 'exec', title: 'agent identity JWT in CODEX_ACCESS_TOKEN, `codex exec`', account: PLUS },
  { id: 'agentIdentityForged', mode: 'agentIdentity', flow: 'exec', title: 'agent identity JWT signed by a key outside the JWKS, `codex exec`', account: PLUS, forgedJwt: true, stopAfter: 'modelTraffic' },
  { id: 'chatgptAuthTokens', mode: 'chatgptAuthTokens', flow: 'appServer', title: 'host-supplied ChatGPT tokens over `codex app-server` (account/login/start)', account: PLUS },
  { id: 'refreshExpired', mode: 'chatgpt', flow: 'exec', title: 'expired access token in auth.json: refreshed before the first backend request, auth.json rewritten', account: PLUS, tokens: 'expired' },
  { id: 'refreshWindow', mode: 'chatgpt', flow: 'exec', title: 'access token expiring in 2 minutes (inside a 5-minute refresh window, not yet expired)', account: PLUS, tokens: 'inRefreshWindow' },
  { id: 'refreshRevoked', mode: 'chatgpt', flow: 'exec', title: 'unexpired access token the backend no longer accepts (401): refresh and retry', account: PLUS, tokens: 'revoked' },
  { id: 'refreshFailExpired', mode: 'chatgpt', flow: 'exec', title: 'expired access token, token endpoint answers 401 refresh_token_expired', account: PLUS, tokens: 'expired', refreshRefusal: { code: 'refresh_token_expired', status: 401 } },
  { id: 'refreshFailReused', mode: 'chatgpt', flow: 'exec', title: 'expired access token, token endpoint answers 401 refresh_token_reused', account: PLUS, tokens: 'expired', refreshRefusal: { code: 'refresh_token_reused', status: 401 } },
  { id: 'refreshFailRevoked', mode: 'chatgpt', flow: 'exec', title: 'expired access token, token endpoint answers 401 refresh_token_invalidated', account: PLUS, tokens: 'expired', refreshRefusal: { code: 'refresh_token_invalidated', status: 401 } },
  { id: 'refreshFailInvalidGrant', mode: 'chatgpt', flow: 'exec', title: 'expired access token, token endpoint answers 400 invalid_grant', account: PLUS, tokens: 'expired', refreshRefusal: { code: 'invalid_grant', status: 400 } },
  { id: 'customBase', mode: 'chatgpt', flow: 'exec', title: `chatgpt_base_url = "${TENANT_BASE_URL}" (its own host name, https); Codex Apps there is an untrusted origin`, account: PLUS, chatgptBaseUrl: TENANT_BASE_URL, extraHosts: [TENANT_HOST] },
  { id: 'agentStaging', mode: 'agentIdentity', flow: 'exec', title: `agent identity with chatgpt_base_url = "${STAGING_BASE_URL}" (staging authapi)`, account: PLUS, chatgptBaseUrl: STAGING_BASE_URL, extraHosts: [STAGING_AUTHAPI_HOST] },
  { id: 'appsCacheSwitch', mode: 'chatgpt', flow: 'exec', title: 'two accounts with different Apps tools, one CODEX_HOME: account A turn, then account B turn (disk cache kept)', account: PLUS, switchAccount: true },
  { id: 'personalAccessToken', mode: 'chatgptAuthTokens', flow: 'exec', title: 'personal access token (`at-...`) in CODEX_ACCESS_TOKEN: whoami on the authapi, then Bearer PAT + account, `codex exec`', account: { plan: 'pro', fedramp: true }, personalAccessToken: true },
  { id: 'appsCacheSwitchLive', mode: 'chatgptAuthTokens', flow: 'appServer', title: 'two accounts with different Apps tools in one `codex app-server` process: host tokens of A, a turn, account/login/start with B, a turn (in-memory cache switch)', account: PLUS, switchAccount: true },
  { id: 'customProvider', mode: 'chatgpt', flow: 'exec', title: `ChatGPT login with model_provider = a custom provider at ${TENANT_V1_URL} (requires_openai_auth = false, no auth of its own): no login credential may reach it`, account: PLUS, extraHosts: [TENANT_HOST], stopAfter: 'modelTraffic', scoping: { modelProviderBaseUrl: TENANT_V1_URL } },
  { id: 'forcedWorkspaceOther', mode: 'chatgptAuthTokens', flow: 'exec', title: 'personal access token of one workspace with forced_chatgpt_workspace_id naming another: refused before any backend request', account: { plan: 'team', fedramp: false }, personalAccessToken: true, stopAfter: 'modelTraffic', scoping: { forcedOtherWorkspace: true } },
  { id: 'hostTokensRefresh', mode: 'chatgptAuthTokens', flow: 'appServer', title: 'host-supplied token revoked on the backend: app-server asks the host (account/chatgptAuthTokens/refresh), never the token endpoint', account: PLUS, hostRefresh: true },
];

export function codexCliCase(id: string): CodexCliCase {
  const found = CODEX_CLI_CASES.find((c) => c.id === id);
  if (found === undefined) {
    throw new ConformanceInputError('USAGE', `"${id}" is not a codex-cli case.`, `Use one of ${CODEX_CLI_CASE_IDS.join(', ')}.`);
  }
  return found;
}
