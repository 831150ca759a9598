/**
 * The reference client's scoping of credentials beyond the auth mode: the configured model
 * provider, the forced workspace and the usage poller (codex-rs/model-provider/src/auth.rs,
 * codex-rs/login/src/auth/manager.rs `enforce_login_restrictions`, codex-rs/tui/src/chatwidget.rs
 * `should_prefetch_rate_limits`). It wraps a callsite invoker: a restriction refuses before the
 * wrapped invoker runs, a custom provider's model request is sent here, the rest passes through.
 */
import { accountId } from '../auth/auth-getters.js';
import type { CodexAuth } from '../auth/codex-auth.js';
import type { Outcome } from '../harness/implementation.js';
import { callsiteById } from './catalog.js';
import { discovers, discoverWorkspace } from './workspace-routing.js';
import { sendThroughProvider, type InvokeContext, type invokeCallsite } from './invoke.js';

/** A `[model_providers.<id>]` entry selected by `model_provider`. */
export interface CustomModelProvider {
  readonly baseUrl: string;
  readonly requiresOpenaiAuth: boolean;
  /** `experimental_bearer_token`: the provider's own credential. */
  readonly bearerToken?: string;
}

export interface Scope {
  readonly modelProvider?: CustomModelProvider;
  /** `forced_chatgpt_workspace_id`, one id or a list. */
  readonly forcedWorkspaceIds?: readonly string[];
  /**
   * Whether a provider gets the login's credentials: the source before PR #39214 resolved the
   * ambient auth for every provider; after it only for one that requires OpenAI auth.
   */
  readonly providerTakesLogin: (provider: CustomModelProvider) => boolean;
  /** Logins the workspace restriction applies to (default: every login that names a workspace). */
  readonly restrictedModes?: readonly CodexAuth['mode'][];
  /** Workspace routing discovery (default: workspace-routing.ts); a mutant may replace it. */
  readonly discoverWorkspace?: typeof discoverWorkspace;
}

const MODEL_CALLSITE = 'core.responses';
const USAGE_CALLSITE = 'backend-client.rate-limits';
const RESTRICTED: ReadonlySet<CodexAuth['mode']> = new Set(['chatgpt', 'chatgptAuthTokens', 'personalAccessToken', 'headers']);

export async function invokeScoped(invoke: typeof invokeCallsite, id: string, ctx: InvokeContext, scope: Scope): Promise<Outcome> {
  const forced = scope.forcedWorkspaceIds;
  if (forced !== undefined && forced.length > 0) {
    let auth: CodexAuth;
    try {
      auth = await ctx.source.auth();
    } catch (e) {
      return { kind: 'errored', message: `loading auth failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    const account = accountId(auth);
    const restricted = scope.restrictedModes === undefined ? RESTRICTED.has(auth.mode) : scope.restrictedModes.includes(auth.mode);
    if (restricted && (account === undefined || !forced.includes(account))) {
      return { kind: 'refused', reason: 'the login is not of the workspace forced_chatgpt_workspace_id names; logging out' };
    }
  }
  const provider = scope.modelProvider;
  if (id === MODEL_CALLSITE && provider === undefined && ctx.profile?.workspaceRouting === true) {
    let auth: CodexAuth;
    try {
      auth = await ctx.source.auth();
    } catch (e) {
      return { kind: 'errored', message: `loading auth failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (discovers(auth)) {
      const stop = await (scope.discoverWorkspace ?? discoverWorkspace)(auth, ctx);
      if (stop !== undefined) return { kind: 'errored', message: stop };
    }
  }
  if (provider === undefined) return invoke(id, ctx);
  if (id === USAGE_CALLSITE && !provider.requiresOpenaiAuth) {
    return { kind: 'refused', reason: 'rate limits are polled only for a model provider that requires OpenAI auth' };
  }
  if (id !== MODEL_CALLSITE) return invoke(id, ctx);
  const callsite = callsiteById(id);
  const url = `${provider.baseUrl.replace(/\/+$/, '')}/responses`;
  if (scope.providerTakesLogin(provider)) return sendThroughProvider(callsite, url, ctx);
  // The provider's own credential, or none: no login header at all.
  const own: InvokeContext = {
    ...ctx,
    source: {
      auth: () => ctx.source.auth(),
      onUnauthorized: async () => false,
      provider: async () => ({
        applyHeaders(headers: Headers) {
          if (provider.bearerToken !== undefined) headers.set('authorization', `Bearer ${provider.bearerToken}`);
        },
      }),
    },
  };
  return sendThroughProvider(callsite, url, own, { auth: true, staticHeaders: {} });
}
