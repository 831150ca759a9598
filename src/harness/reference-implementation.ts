import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AuthManager } from '../auth/auth-manager.js';
import { authProviderFor } from '../auth/auth-provider-for.js';
import { verifyAgentIdentityJwt, jwksFetcher } from '../auth/agent-identity/identity-jwt.js';
import { registerAgentTask } from '../auth/agent-identity/task-registration.js';
import { agentJwksUrl, DEFAULT_CHATGPT_BASE_URL } from '../urls/derived-urls.js';
import { invokeCallsite } from '../callsites/invoke.js';
import { CALLSITE_IDS } from '../callsites/catalog.js';
import { AppsToolsCache, appsToolsCacheKey } from '../cache/apps-tools-cache.js';
import { clientProfile, type ClientProfile } from '../auth/client-profile.js';
import { DEFAULT_PROFILE, type ProfileId } from '../rules/profiles.js';
import type { AuthSource } from '../callsites/callsite.js';
import type { AuthMode } from '../auth/codex-auth.js';
import { invokeScoped, type CustomModelProvider, type Scope } from '../callsites/scoping.js';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
import { SCOPING_CONFIG_KEYS, type CaseSetup, type Implementation, type Outcome, type Session } from './implementation.js';

/**
 * The parts of the reference client a mutant may replace. Each mutant in scenarios/mutants/ swaps
 * exactly one part for a realistic buggy variant; the reference uses the parts below unchanged.
 */
export interface ReferenceParts {
  readonly providerFor: typeof authProviderFor;
  readonly registerAgentTask: typeof registerAgentTask;
  readonly invokeCallsite: typeof invokeCallsite;
  readonly appsToolsCacheKey: typeof appsToolsCacheKey;
  /** The ChatGPT base URL handed to the AuthManager (a mutant may forget to pass it). */
  readonly managerBaseUrl: (configured: string | undefined) => string | undefined;
  /**
   * The auth source one invoke uses. The reference hands every call the session's one manager (one
   * process, one once-cell for task registration); `createManager` builds another manager with the
   * same config, for a mutant whose callers each build their own (scenarios/mutants/).
   */
  readonly authSource: (shared: AuthManager, createManager: () => AuthManager) => AuthSource;
  /** How a loaded agent identity keeps its task: once per load (the source) or not at all (a mutant). */
  readonly taskCache: 'perLoad' | 'none';
  /** Whether a refresh re-reads auth.json first (the source) or redeems the cached token (a mutant). */
  readonly reloadBeforeRefresh: 'guarded' | 'cached';
  /** One refresh at a time per manager, shared by waiting callers (the source), or none (a mutant). */
  readonly refreshFlight: 'single' | 'none';
  /** How a refresh is persisted: merged into auth.json (the source), or a mutant's way. */
  readonly persistRefresh: 'merge' | 'tokensOnly' | 'memoryOnly' | 'worldReadable';
  /**
   * What the client does with auth.json around a request besides the manager's own reads and
   * writes: `none` (the source), or `restoreSavedLogin` (a mutant, an account switcher's saved
   * profile): it keeps its own copy of the file, updated only when auth.json changed during one of
   * its requests (its own refresh), and writes that copy back after every other request.
   */
  readonly savedLogin?: 'none' | 'restoreSavedLogin';
  /**
   * Whether a configured model provider gets the login's credentials (src/callsites/scoping.ts).
   * Absent: as the profile's source does it (every provider at PR #18811, only one that requires
   * OpenAI auth after PR #39214).
   */
  readonly providerTakesLogin?: (provider: CustomModelProvider) => boolean;
  /** Logins `forced_chatgpt_workspace_id` restricts (absent: every login that names a workspace). */
  readonly workspaceRestrictedModes?: readonly AuthMode[];
  /** Which token-endpoint refusals are permanent (absent: the profile's, src/auth/client-profile.ts). */
  readonly permanentRefreshFailures?: ClientProfile['permanentRefreshFailures'];
  /** Whether OPENAI_BASE_URL is read as openai_base_url (absent: where the profile's source reads it). */
  readonly openaiBaseUrlEnv?: boolean;
}

export const REFERENCE_PARTS: ReferenceParts = {
  providerFor: authProviderFor,
  registerAgentTask,
  invokeCallsite,
  appsToolsCacheKey,
  managerBaseUrl: (configured) => configured,
  authSource: (shared) => shared,
  taskCache: 'perLoad',
  reloadBeforeRefresh: 'guarded',
  refreshFlight: 'single',
  persistRefresh: 'merge',
};

/**
 * The reference client (or a mutant of it) behaving as one contract profile: the profile's auth
 * modes, URLs, refresh window and Apps trust gate (src/auth/client-profile.ts).
 */
export function referenceImplementation(
  overrides: Partial<ReferenceParts> = {},
  name = 'reference',
  profile: ProfileId = DEFAULT_PROFILE,
): Implementation {
  const parts: ReferenceParts = { ...REFERENCE_PARTS, ...overrides };
  const behaviour = clientProfile(profile);
  return {
    name,
    version: '0.1.0',
    capabilities: { authModes: behaviour.modes, callsites: CALLSITE_IDS, introspect: ['appsCacheKey', 'authMode', 'lastRefreshFailure'], configKeys: SCOPING_CONFIG_KEYS },
    async start() {
      return new ReferenceSession(parts, behaviour);
    },
  };
}

class ReferenceSession implements Session {
  #manager: AuthManager | undefined;
  #createManager: (() => AuthManager) | undefined;
  #setup: CaseSetup | undefined;
  #cache: AppsToolsCache | undefined;
  /** The `restoreSavedLogin` mutant's copy of auth.json. */
  #saved: string | undefined;
  readonly #parts: ReferenceParts;
  readonly #profile: ClientProfile;

  constructor(parts: ReferenceParts, profile: ClientProfile) {
    this.#parts = parts;
    this.#profile = profile;
  }

  async configure(setup: CaseSetup): Promise<void> {
    // The case's files, written as the harness hands them over (small files: synchronous writes).
    mkdirSync(setup.home, { recursive: true });
    for (const [relative, content] of Object.entries(setup.files)) {
      const path = join(setup.home, relative);
      if (dirname(path) !== setup.home) mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content, { mode: 0o600 });
    }
    const parts = this.#parts;
    const managerBaseUrl = parts.managerBaseUrl(setup.config.chatgptBaseUrl);
    const host = setup.hostTokens;
    const profile = this.#profile;
    this.#setup = setup;
    // The cache lives as long as the session (one process); its disk half survives a restart.
    this.#cache = new AppsToolsCache(setup.home);
    const managerProfile = parts.permanentRefreshFailures === undefined ? profile : { ...profile, permanentRefreshFailures: parts.permanentRefreshFailures };
    const createManager = (): AuthManager => new AuthManager({
      codexHome: setup.home,
      env: setup.env,
      profile: managerProfile,
      ...(managerBaseUrl !== undefined ? { chatgptBaseUrl: managerBaseUrl } : {}),
      ...(host !== undefined ? { hostTokens: host } : {}),
      ...(setup.hostHeaders !== undefined ? { hostHeaders: setup.hostHeaders } : {}),
      fetch: (input, init) => fetch(input, init),
      verifyAgentIdentity: (jwt, context) =>
        verifyAgentIdentityJwt(jwt, {
          // The configured base as written (agent_identity_jwks_url only trims a trailing `/`):
          // codex-rs/login/src/auth/agent_identity.rs `verified_record_from_jwt`.
          jwks: jwksFetcher(agentJwksUrl(context.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL, setup.env), (i, n) => fetch(i, n)),
        }),
      registerAgentTask: (args) => parts.registerAgentTask(args),
      taskCache: parts.taskCache,
      reloadBeforeRefresh: parts.reloadBeforeRefresh,
      refreshFlight: parts.refreshFlight,
      persistRefresh: parts.persistRefresh,
      providerFor: (auth, opts) => parts.providerFor(auth, opts),
    });
    this.#createManager = createManager;
    this.#manager = createManager();
    if (parts.savedLogin === 'restoreSavedLogin') this.#saved = readText(join(setup.home, 'auth.json'));
  }

  async invoke(callsiteId: string): Promise<Outcome> {
    if (this.#parts.savedLogin !== 'restoreSavedLogin') return this.#invoke(callsiteId);
    const path = join(this.#configured().setup.home, 'auth.json');
    const before = readText(path);
    const outcome = await this.#invoke(callsiteId);
    const after = readText(path);
    if (after !== before) this.#saved = after; // its own refresh: the saved profile follows
    else if (this.#saved !== undefined && after !== this.#saved) writeFileSync(path, this.#saved, { mode: 0o600 });
    return outcome;
  }

  async #invoke(callsiteId: string): Promise<Outcome> {
    const { manager, setup } = this.#configured();
    const createManager = this.#createManager ?? (() => manager);
    const config = setup.config;
    // OPENAI_BASE_URL: read as openai_base_url when that key is not configured, where the profile
    // still reads it (deprecated by PR #12031; the 0.171.0 binary no longer does; URL.ENVBASE.001).
    const openaiBaseUrl = config.openaiBaseUrl ?? ((this.#parts.openaiBaseUrlEnv ?? this.#profile.openaiBaseUrlEnv) ? nonEmpty(setup.env['OPENAI_BASE_URL']) : undefined);
    const scope: Scope = {
      ...(config.modelProvider !== undefined ? { modelProvider: config.modelProvider } : {}),
      ...(config.forcedChatgptWorkspaceIds !== undefined ? { forcedWorkspaceIds: config.forcedChatgptWorkspaceIds } : {}),
      providerTakesLogin: this.#parts.providerTakesLogin ?? ((p) => this.#profile.id === 'pr18811' || p.requiresOpenaiAuth),
      ...(this.#parts.workspaceRestrictedModes !== undefined ? { restrictedModes: this.#parts.workspaceRestrictedModes } : {}),
    };
    return invokeScoped(this.#parts.invokeCallsite, callsiteId, {
      source: this.#parts.authSource(manager, createManager),
      profile: this.#profile,
      ...(setup.config.chatgptBaseUrl !== undefined ? { chatgptBaseUrl: setup.config.chatgptBaseUrl } : {}),
      ...(openaiBaseUrl !== undefined ? { openaiBaseUrl } : {}),
      ...(setup.config.appsEnabled !== undefined ? { appsEnabled: setup.config.appsEnabled } : {}),
      ...(this.#cache !== undefined ? { appsToolsCache: this.#cache } : {}),
      appsToolsCacheKey: this.#parts.appsToolsCacheKey,
      fetch: (input, init) => fetch(input, init),
    }, scope);
  }

  async introspect(what: string): Promise<unknown> {
    const { manager } = this.#configured();
    const auth = await manager.auth();
    switch (what) {
      case 'appsCacheKey':
        return this.#parts.appsToolsCacheKey(auth);
      case 'authMode':
        return auth.mode;
      case 'lastRefreshFailure':
        return manager.lastRefreshFailure?.reason ?? null;
      default:
        throw new TypeError(`introspect: unknown item ${JSON.stringify(what)}; known: appsCacheKey, authMode, lastRefreshFailure`);
    }
  }

  async stop(): Promise<void> {
    this.#manager = undefined;
  }

  #configured(): { manager: AuthManager; setup: CaseSetup } {
    if (this.#manager === undefined || this.#setup === undefined) {
      throw new TypeError('session used before configure(): call configure(setup) first');
    }
    return { manager: this.#manager, setup: this.#setup };
  }
}
