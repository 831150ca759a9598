/**
 * Scoping credentials beyond the auth mode (issue 19, corpus classes B and D): the configured model
 * provider, the forced workspace, the usage poller and the OPENAI_BASE_URL variable. The oracle's
 * own table, read from the source at rust-v0.171.0 (catalogue.ts cites the paths):
 *  - a provider with neither `requires_openai_auth` nor auth of its own gets no ambient auth
 *    (codex-rs/model-provider/src/auth.rs after PR #39214; before it, `bearer_auth_provider_from_auth`
 *    fell back to the login for any provider);
 *  - `forced_chatgpt_workspace_id` (one id or a list) is enforced at auth load for every login that
 *    names a workspace: managed ChatGPT tokens and host tokens (enforce_login_restrictions), a
 *    personal access token by its whoami workspace (PR #27450), a Headers map by its
 *    chatgpt-account-id (PR #39322); a mismatch logs out before any request;
 *  - the TUI polls usage only when `model_provider.requires_openai_auth && has_chatgpt_account`
 *    (codex-rs/tui/src/chatwidget.rs `should_prefetch_rate_limits`, PR #10973).
 */
import type { AuthMode } from '../../auth/codex-auth.js';

/** A `[model_providers.<id>]` entry as a case configures it. */
export interface ModelProviderSpec {
  /** The provider's base URL (its `/responses` is the model endpoint). */
  readonly baseUrl: string;
  readonly requiresOpenaiAuth: boolean;
  /** Auth of its own: none, or `experimental_bearer_token` (the value is the case's, never the login's). */
  readonly ownAuth: 'none' | 'bearerToken';
}

/** Modes whose login names a workspace that `forced_chatgpt_workspace_id` restricts. */
export const WORKSPACE_RESTRICTED_MODES: readonly AuthMode[] = ['chatgpt', 'chatgptAuthTokens', 'personalAccessToken', 'headers'];

/** Whether a provider gets the login's credentials at all (codex-0.171). */
export function providerTakesLogin(provider: ModelProviderSpec | undefined): boolean {
  return provider === undefined || provider.requiresOpenaiAuth;
}

/** Whether the login passes the workspace restriction (undefined: no restriction applies to it). */
export function workspaceAllowed(mode: AuthMode, accountId: string | undefined, forced: readonly string[] | undefined): boolean | undefined {
  if (forced === undefined || forced.length === 0 || !WORKSPACE_RESTRICTED_MODES.includes(mode)) return undefined;
  return accountId !== undefined && forced.map((f) => f.trim()).includes(accountId);
}

/** Whether the usage poller may run (the auth side: a ChatGPT account). */
export function usagePollAllowed(provider: ModelProviderSpec | undefined, chatgptAccount: boolean): boolean {
  return providerTakesLogin(provider) && chatgptAccount;
}
