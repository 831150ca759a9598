/**
 * AuthManager: one auth snapshot per client, refreshed and reloaded under a lock, and the one
 * place that turns it into an AuthProvider (registering the agent task first, once).
 *
 * Source: codex-rs/login/src/auth/manager.rs (`AuthManager::auth`, `refresh_token`,
 * `refresh_token_from_authority`, `reload_if_account_id_matches`, `persist_tokens`,
 * `UnauthorizedRecovery`, the permanent-failure cache) and
 * codex-rs/login/src/auth/agent_identity.rs (task registration once per process, against
 * `agent_identity_authapi_base_url(chatgpt_base_url)`).
 * - The configured ChatGPT base URL is passed to every (re)load (JWKS verification) and to the
 *   authapi URL for task registration: dropping it registers against production (PR #18811 review).
 * - Refresh applies to managed `chatgpt` auth only: a guarded reload first (only if auth.json still
 *   belongs to the same account id; if it changed, another process already refreshed), then the
 *   token endpoint; new tokens and `last_refresh` are written back to auth.json atomically.
 * - A permanent refresh failure is remembered for that auth snapshot, so later attempts fail fast.
 * - Host-provided tokens (`chatgptAuthTokens`) are refreshed by the host: on a 401 the manager asks
 *   `refreshHostTokens` (when configured) and reloads.
 * Beside it: its configuration (auth-manager-config.ts), the snapshot comparison
 * (same-auth-for-refresh.ts), how a refresh is persisted (persist-refresh.ts) and the agent task
 * once-cell (agent-task-once.ts).
 */
import { agentIdentityAuthapiBaseUrl } from '../urls/derived-urls.js';
import { isInputError } from '../errors.js';
import { AgentTaskOnce, registerWithRetries } from './agent-task-once.js';
import type { AuthManagerConfig } from './auth-manager-config.js';
import { accountId } from './auth-getters.js';
import { authProviderFor } from './auth-provider-for.js';
import type { AuthProvider } from './auth-provider.js';
import type { CodexAuth } from './codex-auth.js';
import { type ClientProfile, DEFAULT_CLIENT_PROFILE } from './client-profile.js';
import { type HostTokens, type LoadedAuth, loadAuthWithSource } from './load-auth.js';
import { persistRefreshedTokens, withTokensInMemory } from './persist-refresh.js';
import { hydratePersonalAccessToken } from './personal-access-token.js';
import { CredentialLockTimeoutError, withCredentialLock } from './credential-lock.js';
import { sameAuthForRefresh } from './same-auth-for-refresh.js';
import {
  RefreshFailedError,
  type RefreshedTokens,
  isStaleForProactiveRefresh,
  refreshChatgptTokens,
  refreshTokenUrl,
} from './token-refresh.js';

export class AuthManager {
  readonly #config: AuthManagerConfig;
  readonly #profile: ClientProfile;
  readonly #fetch: typeof fetch;
  readonly #now: () => Date;
  #hostTokens: HostTokens | undefined;
  #loaded: LoadedAuth | undefined;
  #loading: Promise<LoadedAuth> | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #permanentFailure: { auth: CodexAuth; error: RefreshFailedError } | undefined;
  #lastRefreshFailure: RefreshFailedError | undefined;
  /** The task registered for the loaded auth value (a new load registers again, as the source does). */
  readonly #tasks: AgentTaskOnce;

  constructor(config: AuthManagerConfig) {
    this.#config = config;
    this.#profile = config.profile ?? DEFAULT_CLIENT_PROFILE;
    this.#fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#now = config.now ?? (() => new Date());
    this.#hostTokens = config.hostTokens;
    this.#tasks = new AgentTaskOnce((auth) => this.#registerTask(auth), config.taskCache !== 'none');
  }

  /** The ChatGPT base URL this manager passes to verification and task registration. */
  get chatgptBaseUrl(): string | undefined {
    return this.#config.chatgptBaseUrl;
  }

  /** The last refresh failure (from refreshIfStale or onUnauthorized), if any. */
  get lastRefreshFailure(): RefreshFailedError | undefined {
    return this.#lastRefreshFailure;
  }

  /** The auth, loaded once (a failed load is not cached: the next call tries again). */
  async auth(): Promise<CodexAuth> {
    return (await this.#loadOnce()).auth;
  }

  /** Where the current auth came from. */
  async source(): Promise<LoadedAuth['source']> {
    return (await this.#loadOnce()).source;
  }

  /** Re-reads the auth from its sources; returns whether it changed. */
  async reload(): Promise<boolean> {
    const before = this.#loaded?.auth;
    const next = await this.#load();
    this.#setLoaded(next);
    return before === undefined || !sameAuthForRefresh(before, next.auth);
  }

  /**
   * Proactive refresh: when managed ChatGPT auth is stale (access token expired, or last_refresh
   * older than 8 days), refresh it and persist the new tokens. Returns true when the auth in use
   * changed; throws RefreshFailedError (REFRESH_FAILED) when it could not be refreshed.
   */
  async refreshIfStale(): Promise<boolean> {
    const seen = await this.auth();
    if (seen.mode !== 'chatgpt' || !isStaleForProactiveRefresh(seen, this.#now(), this.#profile.refreshWindowMs)) return false;
    return this.#withRefreshLock(async () => {
      const current = this.#loaded?.auth;
      if (current !== undefined && current !== seen) return true; // a concurrent caller refreshed
      return this.#guardedRefresh(seen);
    });
  }

  /** After a 401: returns true when new credentials are now in use (retry the request). */
  async onUnauthorized(): Promise<boolean> {
    const seen = await this.auth();
    switch (seen.mode) {
      case 'apiKey':
      case 'agentIdentity':
      case 'personalAccessToken':
      case 'headers':
      case 'bedrockApiKey':
        return false;
      case 'chatgptAuthTokens':
        return this.#withLock(() => this.#refreshHostTokens(seen));
      case 'chatgpt':
        return this.#withRefreshLock(async () => {
          const current = this.#loaded?.auth;
          if (current !== undefined && current !== seen) return true;
          try {
            return await this.#guardedRefresh(seen);
          } catch (e) {
            if (e instanceof RefreshFailedError) return false;
            throw e;
          }
        });
      default: {
        const never: never = seen;
        return never;
      }
    }
  }

  /** The registered agent task id for agentIdentity auth; registration runs once per manager. */
  async agentTaskId(): Promise<string> {
    const auth = await this.auth();
    if (auth.mode !== 'agentIdentity') {
      throw new TypeError(`agentTaskId: the current auth is ${auth.mode}, not agentIdentity.`);
    }
    return this.#tasks.taskId(auth);
  }

  /**
   * The provider for the current auth: refreshes stale ChatGPT auth first (a failed proactive
   * refresh keeps the old tokens, as the source does), and for agentIdentity registers the task
   * once (concurrent callers share one registration).
   */
  async provider(): Promise<AuthProvider> {
    let auth = await this.auth();
    if (auth.mode === 'chatgpt') {
      try {
        await this.refreshIfStale();
      } catch (e) {
        if (!(e instanceof RefreshFailedError)) throw e;
      }
      auth = await this.auth();
    }
    const build = this.#config.providerFor ?? authProviderFor;
    if (auth.mode === 'agentIdentity') {
      const taskId = await this.#tasks.taskId(auth);
      return build(auth, { taskId, now: this.#now });
    }
    return build(auth, { now: this.#now });
  }

  #loadOnce(): Promise<LoadedAuth> {
    if (this.#loaded !== undefined) return Promise.resolve(this.#loaded);
    if (this.#loading === undefined) {
      const loading = this.#load().then(
        (loaded) => {
          this.#setLoaded(loaded);
          return loaded;
        },
        (error: unknown) => {
          this.#loading = undefined;
          throw error;
        },
      );
      this.#loading = loading;
    }
    return this.#loading;
  }

  #load(): Promise<LoadedAuth> {
    const c = this.#config;
    return loadAuthWithSource({
      codexHome: c.codexHome,
      env: c.env,
      profile: this.#profile,
      ...(this.#hostTokens !== undefined && { hostTokens: this.#hostTokens }),
      ...(c.hostHeaders !== undefined && { hostHeaders: c.hostHeaders }),
      personalAccessToken: { hydrate: (token, env) => hydratePersonalAccessToken(token, env, this.#fetch) },
      ...(c.chatgptBaseUrl !== undefined && { chatgptBaseUrl: c.chatgptBaseUrl }),
      ...(c.enableCodexApiKeyEnv !== undefined && { enableCodexApiKeyEnv: c.enableCodexApiKeyEnv }),
      agentIdentity: { verify: c.verifyAgentIdentity },
    });
  }

  #setLoaded(loaded: LoadedAuth): void {
    const before = this.#loaded?.auth;
    if (before !== undefined && this.#permanentFailure && !sameAuthForRefresh(before, loaded.auth)) {
      this.#permanentFailure = undefined;
    }
    this.#loaded = loaded;
    this.#loading = undefined;
  }

  /** The refresh lock: one refresh at a time per manager (`refresh_lock`), unless a mutant drops it. */
  #withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#config.refreshFlight === 'none' ? fn() : this.#withLock(fn);
  }

  #withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Guarded reload, then (if auth.json is unchanged) a refresh from the token endpoint; under the
   * profile's cross-process credential lock when it has one (src/auth/credential-lock.ts).
   */
  async #guardedRefresh(seen: CodexAuth & { mode: 'chatgpt' }): Promise<boolean> {
    if (!this.#profile.crossProcessRefreshLock || this.#config.refreshFlight === 'none') return this.#guardedRefreshUnlocked(seen);
    try {
      return await withCredentialLock(this.#config.codexHome, () => this.#guardedRefreshUnlocked(seen));
    } catch (e) {
      if (e instanceof CredentialLockTimeoutError) throw this.#fail(seen, new RefreshFailedError({ reason: 'other', status: null, permanent: false }, { cause: e }));
      throw e;
    }
  }

  /** The auth on disk now, or undefined when there is none to load (logged out: the source's `Skipped`). */
  async #reloadForRefresh(): Promise<LoadedAuth | undefined> {
    try {
      return await this.#load();
    } catch (e) {
      if (isInputError(e)) return undefined;
      throw e;
    }
  }

  async #guardedRefreshUnlocked(seen: CodexAuth & { mode: 'chatgpt' }): Promise<boolean> {
    if (this.#config.reloadBeforeRefresh === 'cached') return this.#redeem(seen, seen);
    const expectedAccount = accountId(seen);
    const reloaded = expectedAccount === undefined ? undefined : await this.#reloadForRefresh();
    if (reloaded === undefined || accountId(reloaded.auth) !== expectedAccount || reloaded.auth.mode !== 'chatgpt') {
      throw this.#fail(seen, new RefreshFailedError({ reason: 'accountMismatch', status: null, permanent: true }));
    }
    if (!sameAuthForRefresh(seen, reloaded.auth)) {
      this.#setLoaded(reloaded); // another process refreshed auth.json already
      return true;
    }
    return this.#redeem(seen, reloaded.auth);
  }

  /** Redeems `current`'s refresh token (the snapshot the guarded reload found) and persists the result. */
  async #redeem(seen: CodexAuth & { mode: 'chatgpt' }, current: CodexAuth & { mode: 'chatgpt' }): Promise<boolean> {
    if (this.#permanentFailure && sameAuthForRefresh(this.#permanentFailure.auth, seen)) {
      this.#lastRefreshFailure = this.#permanentFailure.error;
      throw this.#permanentFailure.error;
    }
    const result = await refreshChatgptTokens({
      tokenUrl: refreshTokenUrl(this.#config.env),
      refreshToken: current.tokens.refreshToken,
      fetch: this.#fetch,
      permanentFailures: this.#profile.permanentRefreshFailures,
    });
    if (result.kind === 'failed') {
      throw this.#fail(seen, new RefreshFailedError(result));
    }
    if (this.#config.persistRefresh === 'memoryOnly') {
      this.#keepInMemory(current, result.tokens);
    } else {
      await persistRefreshedTokens(this.#config.codexHome, result.tokens, this.#now, this.#config.persistRefresh);
      this.#setLoaded(await this.#load());
    }
    this.#lastRefreshFailure = undefined;
    return true;
  }

  /** The `memoryOnly` mutant: the new pair replaces the cached auth and never reaches auth.json. */
  #keepInMemory(current: CodexAuth & { mode: 'chatgpt' }, tokens: RefreshedTokens): void {
    const source = this.#loaded?.source;
    if (source === undefined) return;
    this.#setLoaded({ auth: withTokensInMemory(current, tokens, this.#now), source });
  }

  #fail(auth: CodexAuth, error: RefreshFailedError): RefreshFailedError {
    if (error.permanent) this.#permanentFailure = { auth, error };
    this.#lastRefreshFailure = error;
    return error;
  }

  async #refreshHostTokens(seen: CodexAuth & { mode: 'chatgptAuthTokens' }): Promise<boolean> {
    const refresh = this.#config.refreshHostTokens;
    if (refresh === undefined) return false;
    const current = this.#loaded?.auth;
    if (current !== undefined && current !== seen) return true;
    try {
      this.#hostTokens = await refresh({ previousAccountId: accountId(seen) });
      this.#setLoaded(await this.#load());
      return true;
    } catch (e) {
      if (isInputError(e)) return false;
      throw e;
    }
  }
  /** One load's registration against the authapi base of the configured ChatGPT base, with the profile's retries. */
  async #registerTask(auth: CodexAuth & { mode: 'agentIdentity' }): Promise<string> {
    const authapiBaseUrl = agentIdentityAuthapiBaseUrl(this.#config.chatgptBaseUrl, { ...this.#config.env }, this.#profile.authapi);
    return registerWithRetries(
      () => this.#config.registerAgentTask({ authapiBaseUrl, claims: auth.claims, fetch: this.#fetch, now: this.#now() }),
      this.#profile.registrationAttempts,
    );
  }
}
