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
 *   3. a header map handed in by the embedding host -> headers (profiles that know the mode);
 *   4. where the profile verifies agent identity JWTs (0.129.0 on), CODEX_ACCESS_TOKEN -> agentIdentity
 *      (verified before use). At PR #18811 an agent identity is only a decoded record in auth.json;
 *      CODEX_AGENT_IDENTITY existed in 0.128.0 alone and is read by neither profile.
 *      Where the profile knows personal access tokens, a CODEX_ACCESS_TOKEN starting `at-` is one
 *      (codex-rs/login/src/auth/personal_access_token.rs `classify_codex_access_token`): its
 *      metadata comes from `GET {authapi}/v1/user-auth-credential/whoami` with Bearer <PAT>;
 *   5. $CODEX_HOME/auth.json by its resolved mode (`auth_mode`, else OPENAI_API_KEY present ->
 *      apikey, else chatgpt);
 *   6. nothing -> NO_CREDENTIALS.
 * env OPENAI_API_KEY is NOT a source here: the source's `load_auth` never reads it (it is the
 * model provider's `env_key` business, not login state). Values are never printed; fingerprints are.
 */
import { ConformanceInputError, isInputError } from '../errors.js';
import { type ClientProfile, DEFAULT_CLIENT_PROFILE } from './client-profile.js';
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
/** CODEX_ACCESS_TOKEN values with this prefix are personal access tokens, not agent identity JWTs. */
export const PERSONAL_ACCESS_TOKEN_PREFIX = 'at-';

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

/** What whoami says of a personal access token (codex-rs/login/src/auth/personal_access_token.rs). */
export interface PersonalAccessTokenMetadata {
  readonly email?: string;
  readonly chatgptUserId: string;
  readonly chatgptAccountId: string;
  readonly chatgptPlanType: string;
  readonly chatgptAccountIsFedramp: boolean;
}

/** Fetches the whoami metadata of a personal access token (network: the manager's fetch). */
export type HydratePersonalAccessToken = (token: string, env: Env) => Promise<PersonalAccessTokenMetadata>;

export interface LoadAuthOptions {
  readonly codexHome: string;
  readonly env: Env;
  /** The contract profile the client follows (default: the newest). */
  readonly profile?: ClientProfile;
  readonly hostTokens?: HostTokens;
  /** A header map handed in by the embedding host (`headers` mode; names are lower-cased). */
  readonly hostHeaders?: Readonly<Record<string, string>>;
  readonly personalAccessToken?: { readonly hydrate: HydratePersonalAccessToken };
  readonly chatgptBaseUrl?: string;
  /** Whether env CODEX_API_KEY is honoured (default true, as `codex exec` does). */
  readonly enableCodexApiKeyEnv?: boolean;
  readonly agentIdentity: { readonly verify: VerifyAgentIdentity };
}

export const AUTH_SOURCES = ['env:CODEX_API_KEY', 'hostTokens', 'hostHeaders', 'env:CODEX_ACCESS_TOKEN', 'env:CODEX_AGENT_IDENTITY', 'authJson'] as const;
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
    `auth mode "${mode}" is not one this reference implementation models under the selected profile.`,
    'Use a mode of the profile (`codex-auth-conformance rules --profile <name>` names the profile; codex-0.171 adds personalAccessToken and headers).',
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
      const profile = profileOf(options);
      if (ai.kind === 'record') {
        if (profile.agentIdentity !== 'authJsonRecord') {
          throw new ConformanceInputError(
            'BAD_CONFIG',
            'auth.json holds a decoded agent identity record (the PR #18811 format); under this profile the client needs the JWT to verify it.',
            'Store the Agent Identity JWT string in agent_identity, or pass it in CODEX_ACCESS_TOKEN.',
          );
        }
        const r = ai.record;
        return {
          mode: 'agentIdentity',
          claims: { agentRuntimeId: r.agentRuntimeId, agentPrivateKey: r.agentPrivateKey, accountId: r.accountId, chatgptUserId: r.chatgptUserId, email: r.email, planType: r.planType, isFedramp: r.isFedramp, iat: 0, exp: 0 },
        };
      }
      if (profile.agentIdentity !== 'verifiedJwt') {
        throw new ConformanceInputError(
          'BAD_CONFIG',
          'auth.json holds an agent identity JWT, but under this profile (PR #18811) agent identities are auth.json records and no JWT is read.',
          'Store the decoded record in agent_identity, or judge with --profile codex-0.171.',
        );
      }
      return agentIdentityAuth(ai.jwt, options);
    }
    case 'personalAccessToken': {
      if (!profileOf(options).personalAccessTokens) throw unsupportedMode(mode);
      const token = data.personalAccessToken;
      if (token === undefined || token === '') {
        throw new ConformanceInputError(
          'AUTH_JSON_MALFORMED',
          'auth.json says auth_mode "personalAccessToken" but personal_access_token is missing.',
          'Store the `at-...` token in personal_access_token (codex login --with-access-token does).',
        );
      }
      return personalAccessTokenAuth(token, options);
    }
    case 'bedrockApiKey': {
      if (!profileOf(options).modes.includes('bedrockApiKey')) throw unsupportedMode(mode);
      const b = data.bedrockApiKey;
      if (b === undefined) {
        throw new ConformanceInputError('AUTH_JSON_MALFORMED', 'auth.json says auth_mode "bedrockApiKey" but bedrock_api_key is missing.', 'Store {"api_key", "region"} in bedrock_api_key.');
      }
      return { mode: 'bedrockApiKey', apiKey: b.apiKey, region: b.region };
    }
    case 'callerProvided':
      throw unsupportedMode(mode);
    default: {
      const never: never = mode;
      throw unsupportedMode(String(never));
    }
  }
}

function profileOf(options: LoadAuthOptions): ClientProfile {
  return options.profile ?? DEFAULT_CLIENT_PROFILE;
}

async function personalAccessTokenAuth(token: string, options: LoadAuthOptions): Promise<CodexAuth> {
  const hydrate = options.personalAccessToken?.hydrate;
  if (hydrate === undefined) {
    throw new ConformanceInputError('BAD_CONFIG', `a personal access token (${fingerprint(token)}) needs its whoami metadata, but no fetch was configured.`, 'build the AuthManager with a fetch (it hydrates personal access tokens).');
  }
  const m = await hydrate(token, options.env);
  return {
    mode: 'personalAccessToken',
    token,
    accountId: m.chatgptAccountId,
    chatgptUserId: m.chatgptUserId,
    ...(m.email !== undefined && { email: m.email }),
    planType: planTypeFromRawValue(m.chatgptPlanType),
    isFedramp: m.chatgptAccountIsFedramp,
  };
}

/** Host-supplied headers: names lower-cased, values kept verbatim (HeaderMap semantics). */
export function authFromHostHeaders(headers: Readonly<Record<string, string>>): CodexAuth {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return { mode: 'headers', headers: out };
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
  const profile = profileOf(options);
  if (options.hostHeaders !== undefined) {
    if (!profile.modes.includes('headers')) throw unsupportedMode('headers');
    return { auth: authFromHostHeaders(options.hostHeaders), source: 'hostHeaders' };
  }
  const accessToken = profile.agentIdentity === 'verifiedJwt' ? readNonEmptyEnv(env, CODEX_ACCESS_TOKEN_ENV) : undefined;
  if (accessToken !== undefined) {
    if (profile.personalAccessTokens && accessToken.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)) {
      return { auth: await personalAccessTokenAuth(accessToken, options), source: 'env:CODEX_ACCESS_TOKEN' };
    }
    return { auth: await agentIdentityAuth(accessToken, options), source: 'env:CODEX_ACCESS_TOKEN' };
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
