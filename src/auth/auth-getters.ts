/**
 * The generic getters every caller uses instead of reaching into a mode's token data.
 *
 * Source: codex-rs/login/src/auth/manager.rs (`CodexAuth::is_chatgpt_auth`,
 * `uses_codex_backend`, `get_account_id`, `get_chatgpt_user_id`, `account_plan_type`,
 * `is_workspace_account`, `is_fedramp_account`); `AuthMode::uses_codex_backend` in
 * codex-rs/protocol/src/auth.rs (re-exported by the app-server protocol crate).
 *
 * - AgentIdentity answers every identity getter from its verified JWT claims; the bearer modes
 *   answer from their token data (for `chatgpt`: `tokens.account_id`, not the id_token claim).
 * - API keys have no account, user, plan, workspace or FedRAMP flag.
 */
import { assertNever } from '../assert-never.js';
import type { CodexAuth } from './codex-auth.js';
import { isWorkspacePlan, planTypeFromClaim } from './plan-type.js';

/**
 * Chatgpt, ChatgptAuthTokens, AgentIdentity, PersonalAccessToken and Headers talk to the Codex
 * backend; API keys and Bedrock do not (`AuthMode::uses_codex_backend`).
 */
export function usesCodexBackend(auth: CodexAuth): boolean {
  switch (auth.mode) {
    case 'apiKey':
    case 'bedrockApiKey':
      return false;
    case 'chatgpt':
    case 'chatgptAuthTokens':
    case 'agentIdentity':
    case 'personalAccessToken':
    case 'headers':
      return true;
    // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
    default:
      // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
      return assertNever(auth, 'auth mode');
  }
}

/** True for the ChatGPT-account modes: the two token modes and personal access tokens. */
export function isChatgptAuth(auth: CodexAuth): boolean {
  switch (auth.mode) {
    case 'chatgpt':
    case 'chatgptAuthTokens':
    case 'personalAccessToken':
      return true;
    case 'apiKey':
    case 'agentIdentity':
    case 'headers':
    case 'bedrockApiKey':
      return false;
    // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
    default:
      // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
      return assertNever(auth, 'auth mode');
  }
}

/** The account id header a Headers-mode host supplied (the source answers get_account_id from it). */
function headerAccountId(headers: Readonly<Record<string, string>>): string | undefined {
  const value = headers['chatgpt-account-id'];
  return value === undefined || value === '' ? undefined : value;
}

export function accountId(auth: CodexAuth): string | undefined {
  switch (auth.mode) {
    case 'apiKey':
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, without this arm the mode falls through to the next one, which reads a field these modes do not have (undefined, the same answer); `case ''` is equivalent as well, no caller hands Bedrock auth to this getter (every gate refuses it before)
    case 'bedrockApiKey':
      return undefined;
    case 'personalAccessToken':
      return auth.accountId;
    case 'headers':
      return headerAccountId(auth.headers);
    case 'chatgpt':
      return auth.tokens.accountId;
    case 'chatgptAuthTokens':
      return auth.accountId;
    case 'agentIdentity':
      return auth.claims.accountId;
    // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
    default:
      // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
      return assertNever(auth, 'auth mode');
  }
}

export function chatgptUserId(auth: CodexAuth): string | undefined {
  switch (auth.mode) {
    case 'apiKey':
    case 'headers':
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, without this arm the mode falls through to the next one, which reads a field these modes do not have (undefined, the same answer); `case ''` is equivalent as well, no caller hands Bedrock auth to this getter (every gate refuses it before)
    case 'bedrockApiKey':
      return undefined;
    case 'personalAccessToken':
      return auth.chatgptUserId;
    case 'chatgpt':
      return auth.tokens.idToken.chatgptUserId;
    case 'chatgptAuthTokens':
      return auth.chatgptUserId;
    case 'agentIdentity':
      return auth.claims.chatgptUserId;
    // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
    default:
      // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
      return assertNever(auth, 'auth mode');
  }
}

/**
 * The plan, canonicalized (known plans lower-case, `hc` -> enterprise, `education` -> edu;
 * unknown values verbatim). Undefined for API keys and when the token carries no plan (the
 * source reports `Unknown` there; either way it is not a workspace plan).
 */
export function planType(auth: CodexAuth): string | undefined {
  let raw: string | undefined;
  switch (auth.mode) {
    case 'apiKey':
    case 'headers':
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, without this arm the mode falls through to the next one, which reads a field these modes do not have (undefined, the same answer); `case ''` is equivalent as well, no caller hands Bedrock auth to this getter (every gate refuses it before)
    case 'bedrockApiKey':
      return undefined;
    case 'personalAccessToken':
      raw = auth.planType;
      break;
    case 'chatgpt':
      raw = auth.tokens.idToken.planType;
      break;
    case 'chatgptAuthTokens':
      raw = auth.planType;
      break;
    case 'agentIdentity':
      raw = auth.claims.planType;
      break;
    // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
    default:
      // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
      return assertNever(auth, 'auth mode');
  }
  // Stryker disable next-line ConditionalExpression: equivalent, planTypeFromClaim(undefined) finds no plan or alias and answers undefined too
  return raw === undefined ? undefined : planTypeFromClaim(raw);
}

/** Plan in team / self_serve_business_usage_based / business / enterprise_cbp_usage_based / enterprise (hc) / edu (education). */
export function isWorkspaceAccount(auth: CodexAuth): boolean {
  return isWorkspacePlan(planType(auth));
}

export function isFedrampAccount(auth: CodexAuth): boolean {
  switch (auth.mode) {
    case 'apiKey':
    // Stryker disable next-line StringLiteral: equivalent, no caller hands Headers auth to this getter (the headers provider sends the host's map and reads no FedRAMP flag; no gate asks it)
    case 'headers':
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, without this arm the mode falls through to the next one, which reads a field these modes do not have (undefined, as falsy as false to every caller); `case ''` is equivalent as well, no caller hands Bedrock auth to this getter (every gate refuses it before)
    case 'bedrockApiKey':
      return false;
    case 'personalAccessToken':
      return auth.isFedramp;
    case 'chatgpt':
      return auth.tokens.idToken.isFedramp;
    case 'chatgptAuthTokens':
      return auth.isFedramp;
    case 'agentIdentity':
      return auth.claims.isFedramp;
    // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
    default:
      // Stryker disable next-line all: unreachable, the switch is exhaustive over CodexAuth (assertNever only types it)
      return assertNever(auth, 'auth mode');
  }
}
