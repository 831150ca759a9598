import { planClaimOf, type Account } from './accounts.js';

/**
 * Claim layout of the tokens the mock issues. Sources: codex-rs/login/src/token_data.rs (id_token
 * claims under `https://api.openai.com/auth`, email under `https://api.openai.com/profile`),
 * codex-rs/agent-identity/src/lib.rs (Agent Identity JWT claims, iss/aud).
 */
export const OPENAI_AUTH_CLAIM = 'https://api.openai.com/auth';
export const OPENAI_PROFILE_CLAIM = 'https://api.openai.com/profile';
export const TOKEN_ISSUER = 'https://auth.openai.com';
export const ACCESS_TOKEN_AUDIENCE = 'https://api.openai.com/v1';
/** OAuth client id of the Codex CLI (codex-rs/login/src/auth/manager.rs `CLIENT_ID`). */
export const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
export const AGENT_IDENTITY_ISSUER = 'https://chatgpt.com/codex-backend/agent-identity';
export const AGENT_IDENTITY_AUDIENCE = 'codex-app-server';

export function authClaimsOf(account: Account): Record<string, unknown> {
  return {
    chatgpt_account_id: account.id,
    chatgpt_user_id: account.chatgptUserId,
    user_id: account.chatgptUserId,
    chatgpt_plan_type: planClaimOf(account),
    chatgpt_account_is_fedramp: account.isFedramp,
  };
}

export function accessTokenPayload(account: Account): Record<string, unknown> {
  return {
    [OPENAI_AUTH_CLAIM]: authClaimsOf(account),
    [OPENAI_PROFILE_CLAIM]: { email: account.email, email_verified: true },
    scp: ['openid', 'profile', 'email', 'offline_access'],
  };
}

export function idTokenPayload(account: Account): Record<string, unknown> {
  return { email: account.email, email_verified: true, [OPENAI_AUTH_CLAIM]: authClaimsOf(account) };
}

export interface AgentIdentityClaimsJson {
  readonly iss: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  readonly agent_runtime_id: string;
  readonly agent_private_key: string;
  readonly account_id: string;
  readonly chatgpt_user_id: string;
  readonly email: string;
  readonly plan_type: string;
  readonly chatgpt_account_is_fedramp: boolean;
}

export function agentIdentityClaims(
  account: Account,
  runtimeId: string,
  privateKeyPkcs8Base64: string,
  iat: number,
  exp: number,
): AgentIdentityClaimsJson {
  return {
    iss: AGENT_IDENTITY_ISSUER,
    aud: AGENT_IDENTITY_AUDIENCE,
    iat,
    exp,
    agent_runtime_id: runtimeId,
    agent_private_key: privateKeyPkcs8Base64,
    account_id: account.id,
    chatgpt_user_id: account.chatgptUserId,
    email: account.email,
    plan_type: planClaimOf(account),
    chatgpt_account_is_fedramp: account.isFedramp,
  };
}
