/**
 * Loading the CodexAuth a client runs with, in the precedence of the real client.
 *
 * Source: codex-rs/login/src/auth/manager.rs (`load_auth`, `CodexAuth::from_auth_dot_json`,
 * `read_codex_api_key_from_env`, `read_codex_access_token_from_env`,
 * `AuthDotJson::from_external_tokens`, `AuthDotJson::resolved_mode`):
 *   1. env CODEX_API_KEY (trimmed, non-empty), only when `enableCodexApiKeyEnv` (the source's
 *      `enable_codex_api_key_env`; `CodexAuth::from_auth_storage` passes false) -> apiKey;
 *   2. ChatGPT tokens handed in by the embedding host (the source's in-memory "ephemeral" store)
 *      -> chatgptAuthTokens;
 *   3. the Agent Identity JWT from the environment -> agentIdentity (verified before use):
 *      CODEX_ACCESS_TOKEN (current source) or CODEX_AGENT_IDENTITY (the seed PR stack,
 *      #19762-#19764). No single version reads both; when both are set here, CODEX_ACCESS_TOKEN wins;
 *   4. $CODEX_HOME/auth.json by its resolved mode (`auth_mode`, else OPENAI_API_KEY present ->
 *      apikey, else chatgpt);
 *   5. nothing -> NO_CREDENTIALS.
 * env OPENAI_API_KEY is NOT a source here: the source's `load_auth` never reads it (it is the
 * model provider's `env_key` business, not login state). Values are never printed; fingerprints are.
 */
import { ConformanceInputError, isInputError } from '../errors.js';
import { fingerprint } from '../redact/fingerprint.js';
import { type AuthJson, readAuthJson, resolvedAuthJsonMode } from './auth-json.js';
import type { AgentIdentityClaims, CodexAuth } from './codex-auth.js';
import { parseIdToken } from './id-token.js';
import { planTypeFromRawValue } from './plan-type.js';

export const CODEX_API_KEY_ENV = 'CODEX_API_KEY';
export const CODEX_ACCESS_TOKEN_ENV = 'CODEX_ACCESS_TOKEN';
export const CODEX_AGENT_IDENTITY_ENV = 'CODEX_AGENT_IDENTITY';
/** Checked in this order; the first non-empty one is used. */
export const AGENT_IDENTITY_ENV_VARS = [CODEX_ACCESS_TOKEN_ENV, CODEX_AGENT_IDENTITY_ENV] as const;

export type Env = Readonly<Record<string, string | undefined>>;

/** ChatGPT tokens an embedding host (app-server client) hands in; the host refreshes them. */
export interface HostTokens {
  /** A ChatGPT access token (a JWT: the client reads user id and FedRAMP flag from it). */
  readonly accessToken: string;
  readonly accountId: string;
  readonly planType?: string;
}

export interface AgentIdentityVerifyContext {
  /** The configured ChatGPT base URL (undefined = the default), from which the JWKS URL derives. */
  readonly chatgptBaseUrl: string | undefined;
}

/** Verifies an Agent Identity JWT (signature, iss, aud, exp) and returns its claims. */
export type VerifyAgentIdentity = (jwt: string, context: AgentIdentityVerifyContext) => Promise<AgentIdentityClaims>;

export interface LoadAuthOptions {
  readonly codexHome: string;
  readonly env: Env;
  readonly hostTokens?: HostTokens;
  readonly chatgptBaseUrl?: string;
  /** Whether env CODEX_API_KEY is honoured (default true, as `codex exec` does). */
  readonly enableCodexApiKeyEnv?: boolean;
  readonly agentIdentity: { readonly verify: VerifyAgentIdentity };
}

export const AUTH_SOURCES = ['env:CODEX_API_KEY', 'hostTokens', 'env:CODEX_ACCESS_TOKEN', 'env:CODEX_AGENT_IDENTITY', 'authJson'] as const;
export type AuthSource = (typeof AUTH_SOURCES)[number];

export interface LoadedAuth {
  readonly auth: CodexAuth;
  readonly source: AuthSource;
}

/** `read_non_empty_env_var`: trimmed, empty counts as unset. */
export function readNonEmptyEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** The `chatgptAuthTokens` auth for host-provided tokens (`from_external_tokens`). */
export function authFromHostTokens(host: HostTokens): CodexAuth {
  let claims;
  try {
    claims = parseIdToken(host.accessToken);
  } catch (cause) {
    throw new ConformanceInputError(
      'JWT_MALFORMED',
      `The host-provided access token ${fingerprint(host.accessToken)} is not a decodable JWT (${(cause as Error).message}).`,
      'Hand in the ChatGPT access token exactly as issued; the client reads its claims.',
      { cause },
    );
  }
  const planType =
    host.planType !== undefined ? planTypeFromRawValue(host.planType) : claims.planType;
  return {
    mode: 'chatgptAuthTokens',
    accessToken: host.accessToken,
    accountId: host.accountId,
    ...(claims.chatgptUserId !== undefined && { chatgptUserId: claims.chatgptUserId }),
    ...(planType !== undefined && { planType }),
    isFedramp: claims.isFedramp,
  };
}

function unsupportedMode(mode: string): ConformanceInputError {
  return new ConformanceInputError(
    'BAD_CONFIG',
    `auth.json uses auth_mode "${mode}", which this reference implementation does not model (only apikey, chatgpt, chatgptAuthTokens, agentIdentity).`,
    'Use one of the four modelled modes for conformance runs.',
  );
}

async function authFromAuthJson(data: AuthJson, options: LoadAuthOptions): Promise<CodexAuth> {
  const mode = resolvedAuthJsonMode(data);
  switch (mode) {
    case 'apikey': {
      if (data.openaiApiKey === null) {
        throw new ConformanceInputError(
          'AUTH_JSON_MALFORMED',
          'auth.json says auth_mode "apikey" but OPENAI_API_KEY is null ("API key auth is missing a key").',
          'Put the key in OPENAI_API_KEY, or remove auth_mode.',
        );
      }
      return { mode: 'apiKey', apiKey: data.openaiApiKey };
    }
    case 'chatgpt': {
      if (data.tokens === undefined) {
        throw new ConformanceInputError(
          'AUTH_JSON_MALFORMED',
          'auth.json resolves to ChatGPT mode but has no tokens.',
          'Add tokens {id_token, access_token, refresh_token, account_id}, or run `codex login` again.',
        );
      }
      const { idToken, accessToken, refreshToken, accountId } = data.tokens;
      return {
        mode: 'chatgpt',
        tokens: { idToken, accessToken, refreshToken, ...(accountId !== null && { accountId }) },
        ...(data.lastRefresh !== undefined && { lastRefresh: data.lastRefresh }),
      };
    }
    case 'chatgptAuthTokens': {
      const tokens = data.tokens;
      const accountId = tokens?.accountId ?? tokens?.idToken.chatgptAccountId;
      if (tokens === undefined || accountId === undefined) {
        throw new ConformanceInputError(
          'AUTH_JSON_MALFORMED',
          'auth.json says auth_mode "chatgptAuthTokens" but tokens or tokens.account_id is missing.',
          'Give tokens.access_token and tokens.account_id for host-provided tokens.',
        );
      }
      return {
        mode: 'chatgptAuthTokens',
        accessToken: tokens.accessToken,
        accountId,
        ...(tokens.idToken.chatgptUserId !== undefined && { chatgptUserId: tokens.idToken.chatgptUserId }),
        ...(tokens.idToken.planType !== undefined && { planType: tokens.idToken.planType }),
        isFedramp: tokens.idToken.isFedramp,
      };
    }
    case 'agentIdentity': {
      const ai = data.agentIdentity;
      if (ai === undefined) {
        throw new ConformanceInputError(
          'AUTH_JSON_MALFORMED',
          'auth.json says auth_mode "agentIdentity" but agent_identity is missing ("agent identity auth is missing an agent identity token").',
          'Put the Agent Identity JWT in agent_identity (or log in with `codex login --with-access-token`).',
        );
      }
      if (ai.kind === 'record') {
        throw new ConformanceInputError(
          'BAD_CONFIG',
          'auth.json holds a decoded agent identity record (the format of earlier versions); this reference implementation needs the JWT to verify it.',
          'Store the Agent Identity JWT string in agent_identity, or pass it in CODEX_ACCESS_TOKEN.',
        );
      }
      return agentIdentityAuth(ai.jwt, options);
    }
    case 'callerProvided':
    case 'personalAccessToken':
    case 'bedrockApiKey':
      throw unsupportedMode(mode);
    default: {
      const never: never = mode;
      throw unsupportedMode(String(never));
    }
  }
}

async function agentIdentityAuth(jwt: string, options: LoadAuthOptions): Promise<CodexAuth> {
  const claims = await options.agentIdentity.verify(jwt, { chatgptBaseUrl: options.chatgptBaseUrl });
  return { mode: 'agentIdentity', jwt, claims };
}

/** Loads the auth and says where it came from. */
export async function loadAuthWithSource(options: LoadAuthOptions): Promise<LoadedAuth> {
  const { env } = options;
  if (options.enableCodexApiKeyEnv ?? true) {
    const apiKey = readNonEmptyEnv(env, CODEX_API_KEY_ENV);
    if (apiKey !== undefined) return { auth: { mode: 'apiKey', apiKey }, source: 'env:CODEX_API_KEY' };
  }
  if (options.hostTokens !== undefined) {
    return { auth: authFromHostTokens(options.hostTokens), source: 'hostTokens' };
  }
  for (const name of AGENT_IDENTITY_ENV_VARS) {
    const jwt = readNonEmptyEnv(env, name);
    if (jwt !== undefined) {
      return { auth: await agentIdentityAuth(jwt, options), source: `env:${name}` };
    }
  }
  let data: AuthJson | undefined;
  try {
    data = await readAuthJson(options.codexHome);
  } catch (e) {
    if (!(isInputError(e) && e.code === 'AUTH_JSON_MISSING' && (e.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')) {
      throw e;
    }
  }
  if (data !== undefined) return { auth: await authFromAuthJson(data, options), source: 'authJson' };
  throw new ConformanceInputError(
    'NO_CREDENTIALS',
    `No credentials: CODEX_API_KEY, CODEX_ACCESS_TOKEN and CODEX_AGENT_IDENTITY are unset, no host tokens were given, and ${options.codexHome} has no auth.json.`,
    'Set CODEX_API_KEY, pass an Agent Identity JWT in CODEX_ACCESS_TOKEN, or write an auth.json (codex login).',
  );
}

/** Loads the auth a client runs with (see the module comment for the precedence). */
export async function loadAuth(options: LoadAuthOptions): Promise<CodexAuth> {
  return (await loadAuthWithSource(options)).auth;
}
