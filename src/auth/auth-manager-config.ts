import type { AuthProviderOptions } from './auth-provider-for.js';
import type { AuthProvider } from './auth-provider.js';
import type { AgentIdentityClaims, CodexAuth } from './codex-auth.js';
import type { ClientProfile } from './client-profile.js';
import type { Env, HostTokens, VerifyAgentIdentity } from './load-auth.js';

/**
 * What an AuthManager (auth-manager.ts) is built from: where the auth lives, the profile it
 * follows, the host's tokens and hooks, the agent-task registration, and the switches mutants turn
 * (task cache, reload before refresh, refresh flight, how a refresh is persisted).
 */
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
