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
 */
import { chmod } from 'node:fs/promises';
import { agentIdentityAuthapiBaseUrl } from '../urls/derived-urls.js';
import { isInputError } from '../errors.js';
import { type AuthJson, authJsonPath, readAuthJson, writeAuthJsonAtomic } from './auth-json.js';
import { accountId } from './auth-getters.js';
import { type AuthProviderOptions, authProviderFor } from './auth-provider-for.js';
import type { AuthProvider } from './auth-provider.js';
import type { AgentIdentityClaims, CodexAuth } from './codex-auth.js';
import { parseIdToken } from './id-token.js';
import { type ClientProfile, DEFAULT_CLIENT_PROFILE } from './client-profile.js';
import { type Env, type HostTokens, type LoadedAuth, type VerifyAgentIdentity, loadAuthWithSource } from './load-auth.js';
import { hydratePersonalAccessToken } from './personal-access-token.js';
import { TaskRegistrationError } from './agent-identity/task-registration.js';
import { CredentialLockTimeoutError, withCredentialLock } from './credential-lock.js';
import {
  RefreshFailedError,
  type RefreshedTokens,
  isStaleForProactiveRefresh,
  refreshChatgptTokens,
  refreshTokenUrl,
} from './token-refresh.js';

export type RegisterAgentTask = (args: {
  readonly authapiBaseUrl: string;
  readonly claims: AgentIdentityClaims;
  readonly fetch: typeof fetch;
  readonly now: Date;
}) => Promise<string>;

export interface AuthManagerConfig {
  readonly codexHome: string;
  readonly env: Env;
  /** The contract profile the client follows (default: the newest). */
  readonly profile?: ClientProfile;
  /** A header map handed in by the embedding host (`headers` mode). */
  readonly hostHeaders?: Readonly<Record<string, string>>;
  /** The configured `chatgpt_base_url` (undefined = the default). */
  readonly chatgptBaseUrl?: string;
  readonly hostTokens?: HostTokens;
  /** Asked for fresh host tokens after a 401 in chatgptAuthTokens mode. */
  readonly refreshHostTokens?: (context: { readonly previousAccountId: string | undefined }) => Promise<HostTokens>;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  /** Whether env CODEX_API_KEY is honoured (default true). */
  readonly enableCodexApiKeyEnv?: boolean;
  readonly verifyAgentIdentity: VerifyAgentIdentity;
  readonly registerAgentTask: RegisterAgentTask;
  /** `perLoad` (default): a loaded agent identity registers its task once and reuses it; `none` re-registers per provider (a mutant). */
  readonly taskCache?: 'perLoad' | 'none';
  /** Builds the provider from the auth (default authProviderFor); mutants swap it. */
  readonly providerFor?: (auth: CodexAuth, opts: AuthProviderOptions) => AuthProvider;
  /**
   * `guarded` (default): re-read auth.json before redeeming (`reload_if_account_id_matches`);
   * `cached`: redeem the cached refresh token as is (a mutant: the pre-#11802/#15357 bug).
   */
  readonly reloadBeforeRefresh?: 'guarded' | 'cached';
  /**
   * `single` (default): one refresh at a time per manager, and a caller that waited uses the
   * result (`refresh_lock`); `none`: every caller refreshes on its own (a mutant).
   */
  readonly refreshFlight?: 'single' | 'none';
  /**
   * `merge` (default): `persist_tokens`, the returned tokens and last_refresh over the file as it
   * is now; `tokensOnly`: the file rewritten with only tokens and last_refresh (a mutant that drops
   * the keys it does not own); `memoryOnly`: the rotated pair kept in memory, never written (a mutant);
   * `worldReadable`: merged, but the new file left with the umask's 0644 instead of 0600 (a mutant).
   */
  readonly persistRefresh?: 'merge' | 'tokensOnly' | 'memoryOnly' | 'worldReadable';
}

/** Same auth for refresh purposes (`auths_equal_for_refresh`). */
export function sameAuthForRefresh(a: CodexAuth, b: CodexAuth): boolean {
  switch (a.mode) {
    case 'apiKey':
      return b.mode === 'apiKey' && a.apiKey === b.apiKey;
    case 'chatgpt':
      return (
        b.mode === 'chatgpt' &&
        a.tokens.accessToken === b.tokens.accessToken &&
        a.tokens.refreshToken === b.tokens.refreshToken &&
        a.tokens.idToken.rawJwt === b.tokens.idToken.rawJwt &&
        a.tokens.accountId === b.tokens.accountId &&
        a.lastRefresh === b.lastRefresh
      );
    case 'chatgptAuthTokens':
      return b.mode === 'chatgptAuthTokens' && a.accessToken === b.accessToken && a.accountId === b.accountId;
    case 'agentIdentity':
      return b.mode === 'agentIdentity' && a.jwt === b.jwt && a.claims.agentRuntimeId === b.claims.agentRuntimeId && a.claims.agentPrivateKey === b.claims.agentPrivateKey;
    case 'personalAccessToken':
      return b.mode === 'personalAccessToken' && a.token === b.token;
    case 'headers':
      return b.mode === 'headers' && JSON.stringify(a.headers) === JSON.stringify(b.headers);
    case 'bedrockApiKey':
      return b.mode === 'bedrockApiKey' && a.apiKey === b.apiKey && a.region === b.region;
    default: {
      const never: never = a;
      return never;
    }
  }
}

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
  #task: { auth: CodexAuth; taskId: Promise<string> } | undefined;

  constructor(config: AuthManagerConfig) {
    this.#config = config;
    this.#profile = config.profile ?? DEFAULT_CLIENT_PROFILE;
    this.#fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#now = config.now ?? (() => new Date());
    this.#hostTokens = config.hostTokens;
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
    return this.#registerTaskOnce(auth);
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
      const taskId = await this.#registerTaskOnce(auth);
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
      await this.#persistTokens(result.tokens);
      this.#setLoaded(await this.#load());
    }
    this.#lastRefreshFailure = undefined;
    return true;
  }

  /** The `memoryOnly` mutant: the new pair replaces the cached auth and never reaches auth.json. */
  #keepInMemory(current: CodexAuth & { mode: 'chatgpt' }, tokens: RefreshedTokens): void {
    const source = this.#loaded?.source;
    if (source === undefined) return;
    const auth: CodexAuth = {
      ...current,
      tokens: {
        ...current.tokens,
        ...(tokens.idToken !== undefined ? { idToken: parseIdToken(tokens.idToken) } : {}),
        ...(tokens.accessToken !== undefined ? { accessToken: tokens.accessToken } : {}),
        ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
      },
      lastRefresh: this.#now().toISOString(),
    };
    this.#setLoaded({ auth, source });
  }

  #fail(auth: CodexAuth, error: RefreshFailedError): RefreshFailedError {
    if (error.permanent) this.#permanentFailure = { auth, error };
    this.#lastRefreshFailure = error;
    return error;
  }

  /** `persist_tokens`: update only the tokens the endpoint returned, stamp last_refresh, write atomically. */
  async #persistTokens(tokens: RefreshedTokens): Promise<void> {
    const data = await readAuthJson(this.#config.codexHome);
    const existing = data.tokens;
    let idToken = existing?.idToken;
    if (tokens.idToken !== undefined) {
      try {
        idToken = parseIdToken(tokens.idToken);
      } catch (cause) {
        throw new RefreshFailedError({ reason: 'other', status: 200, permanent: false }, { cause });
      }
    }
    if (idToken === undefined) {
      throw new RefreshFailedError({ reason: 'other', status: 200, permanent: false });
    }
    const next: AuthJson = {
      ...(this.#config.persistRefresh === 'tokensOnly' ? { openaiApiKey: null } : data),
      tokens: {
        idToken,
        accessToken: tokens.accessToken ?? existing?.accessToken ?? '',
        refreshToken: tokens.refreshToken ?? existing?.refreshToken ?? '',
        accountId: existing?.accountId ?? null,
      },
      lastRefresh: this.#now().toISOString(),
    };
    await writeAuthJsonAtomic(this.#config.codexHome, next);
    // The mutant: a writer that creates the file with the default mode (0666 & ~022).
    if (this.#config.persistRefresh === 'worldReadable') await chmod(authJsonPath(this.#config.codexHome), 0o644);
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

  /** One load's registration: retried after a retryable failure, up to the profile's attempts. */
  async #registerWithRetries(auth: CodexAuth & { mode: 'agentIdentity' }): Promise<string> {
    const authapiBaseUrl = agentIdentityAuthapiBaseUrl(this.#config.chatgptBaseUrl, { ...this.#config.env }, this.#profile.authapi);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#config.registerAgentTask({ authapiBaseUrl, claims: auth.claims, fetch: this.#fetch, now: this.#now() });
      } catch (e) {
        if (!(e instanceof TaskRegistrationError && e.retryable && attempt < this.#profile.registrationAttempts)) throw e;
      }
    }
  }

  #registerTaskOnce(auth: CodexAuth & { mode: 'agentIdentity' }): Promise<string> {
    if (this.#task !== undefined && this.#task.auth === auth && this.#config.taskCache !== 'none') return this.#task.taskId;
    const taskId = this.#registerWithRetries(auth);
    const entry = { auth, taskId };
    this.#task = entry;
    taskId.catch(() => {
      if (this.#task === entry) this.#task = undefined; // a failed registration can be retried
    });
    return taskId;
  }
}
