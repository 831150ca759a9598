import type { AuthMode } from '../auth/codex-auth.js';

/**
 * What an adapter offers the runner: the in-process reference, a mutant, a driver process
 * speaking the driver protocol, or the real codex binary. Suites only talk to this interface.
 */
export interface Capabilities {
  readonly authModes: readonly AuthMode[];
  /** Callsite ids the implementation can be asked to invoke. */
  readonly callsites: readonly string[];
  /** Introspection the implementation volunteers, e.g. `appsCacheKey`. */
  readonly introspect: readonly string[];
  /**
   * Optional `CaseSetup.config` keys the implementation reads (`modelProvider`,
   * `forcedChatgptWorkspaceIds`); a case that needs one it does not declare is `unsupported`.
   * Absent: none (the base URLs and `appsEnabled` are always read).
   */
  readonly configKeys?: readonly ScopingConfigKey[];
}

export const SCOPING_CONFIG_KEYS = ['modelProvider', 'forcedChatgptWorkspaceIds'] as const;
export type ScopingConfigKey = (typeof SCOPING_CONFIG_KEYS)[number];

/** Where the implementation's auth comes from in one case; files are relative to `home`. */
export interface CaseSetup {
  readonly caseId: string;
  /** Scratch CODEX_HOME for this case; `files` are written there before `configure`. */
  readonly home: string;
  readonly files: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** Tokens handed in by an embedding host (mode `chatgptAuthTokens`). */
  readonly hostTokens?: {
    readonly accessToken: string;
    readonly accountId: string;
    readonly planType?: string;
  };
  /** A header map handed in by an embedding host (mode `headers`, profiles that know it). */
  readonly hostHeaders?: Readonly<Record<string, string>>;
  readonly config: {
    readonly chatgptBaseUrl?: string;
    readonly openaiBaseUrl?: string;
    readonly appsEnabled?: boolean;
    /**
     * `model_provider` names a `[model_providers.<id>]` entry instead of the built-in openai
     * provider: its base URL, `requires_openai_auth`, and `experimental_bearer_token` if any.
     */
    readonly modelProvider?: { readonly baseUrl: string; readonly requiresOpenaiAuth: boolean; readonly bearerToken?: string };
    /** `forced_chatgpt_workspace_id` (one id or a list). */
    readonly forcedChatgptWorkspaceIds?: readonly string[];
  };
}

export type Outcome =
  | { readonly kind: 'sent'; readonly status: number; readonly body?: unknown }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'errored'; readonly message: string }
  /** The implementation knowingly does not support this case (driver protocol `skipped`). */
  | { readonly kind: 'skipped'; readonly reason: string; readonly link?: string };

export interface Session {
  configure(setup: CaseSetup): Promise<void>;
  invoke(callsiteId: string): Promise<Outcome>;
  introspect?(what: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** What a case needs from the session it starts. */
export interface StartOptions {
  /**
   * The case judges what a brand-new process does (a restart with only the disk kept, a file
   * written by a process that then ends): an adapter that reuses processes between cases must
   * start a new one, and end it at `stop()`. Default false: any session that is as good as a
   * fresh process will do.
   */
  readonly freshProcess?: boolean;
}

export interface Implementation {
  readonly name: string;
  readonly version: string;
  readonly capabilities: Capabilities;
  start(options?: StartOptions): Promise<Session>;
  /**
   * Ends whatever the implementation keeps between sessions (idle driver processes). The runner
   * calls it when a run ends; the implementation can be started again afterwards.
   */
  close?(): Promise<void>;
  /**
   * For an implementation that serves several cases with one process (a driver with `reset`):
   * the case ids the process that served `caseId` had served before it, oldest first; empty or
   * undefined when `caseId` got a process of its own.
   */
  processHistory?(caseId: string): readonly string[] | undefined;
  /**
   * Protocol failures of the process(es) that served `caseId` (and case ids below it,
   * `caseId-...`): crashes, invalid responses, restarts, with an excerpt of their stderr, secrets
   * fingerprinted. A case that has any is an `error`, never a pass or a skip.
   */
  protocolFailures?(caseId: string): readonly string[];
  /** Turns process reuse between cases off (every case a new process) or back on. */
  setProcessReuse?(enabled: boolean): void;
}
