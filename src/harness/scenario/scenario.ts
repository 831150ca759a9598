/**
 * One scenario model for every black-box run (issue 17 item 1): the real codex binary, third-party
 * clients and drivers. A scenario is data (scenarios/blackbox/**.json, schema
 * schemas/scenario/v1.json): the mock's state (accounts, credentials, faults, clock), one or more
 * CODEX_HOMEs, the actors that use them, and ordered steps. One runner plays the steps inside the
 * loopback-only namespace (run-scenario.ts); an adapter only says how to start its kind of actor;
 * the judges read the journal and what each actor left (its auth.json: contents fingerprinted,
 * mode, inode), unchanged.
 *
 * Names are references inside the file: `account`, `credential`, `home` and `actor` fields name an
 * entry of the corresponding list (checked by load-scenario.ts, exit 2 on a dangling name).
 */
import type { PlanType } from '../../../mocks/state/accounts.js';
import type { RefreshErrorCode } from '../../../mocks/faults.js';

export const SCENARIO_SCHEMA_ID = 'https://codex-auth-conformance.invalid/schemas/scenario/v1.json';
export const SCENARIO_FORMAT = 'codex-auth-conformance/scenario@1' as const;

/** Which suite plays the scenario and which judge reads it. */
export const SCENARIO_FAMILIES = ['codex-cli', 'ecosystem', 'shared-credential', 'coexistence'] as const;
export type ScenarioFamily = (typeof SCENARIO_FAMILIES)[number];

// ---------------------------------------------------------------- mock state

export interface ScenarioAccount {
  readonly id: string;
  readonly plan: PlanType;
  readonly fedramp: boolean;
}

/** The access token's state when the mock issues it. */
export type AccessTokenState =
  /** The mock's default lifetime (an hour): no refresh due. */
  | { readonly kind: 'fresh' }
  /** Expires in `seconds` (e.g. 120: inside the 5-minute window of codex-0.171). */
  | { readonly kind: 'expiresIn'; readonly seconds: number }
  /** Already expired. */
  | { readonly kind: 'expired' }
  /** Unexpired, but the backend refuses it (401) until the client refreshes. */
  | { readonly kind: 'revoked' };

/** A credential the mock issues before the first step; steps and homes name it by `id`. */
export type CredentialSpec =
  | { readonly id: string; readonly kind: 'apiKey' }
  /** Managed ChatGPT tokens (id, access and refresh token) as `codex login` stores them in auth.json. */
  | { readonly id: string; readonly kind: 'chatgptTokens'; readonly account: string; readonly access: AccessTokenState }
  /** Host-supplied ChatGPT tokens (app-server `account/login/start`, type chatgptAuthTokens): never on disk. */
  | { readonly id: string; readonly kind: 'hostTokens'; readonly account: string; readonly revoked?: boolean }
  /** An agent identity JWT (CODEX_ACCESS_TOKEN); `forged`: signed by a key outside the mock's JWKS. */
  | { readonly id: string; readonly kind: 'agentIdentity'; readonly account: string; readonly forged?: boolean }
  /** A personal access token (`at-...`) in CODEX_ACCESS_TOKEN. */
  | { readonly id: string; readonly kind: 'personalAccessToken'; readonly account: string };
export type CredentialKind = CredentialSpec['kind'];

/** A mock fault, scoped to the scenario (the runner adds the case id). */
export type FaultSpec =
  | { readonly kind: 'unauthorizedOnce'; readonly path?: string }
  | { readonly kind: 'tokenEndpointError'; readonly code: RefreshErrorCode | 'invalid_grant'; readonly status: number }
  | { readonly kind: 'forbiddenOnce'; readonly path?: string }
  | { readonly kind: 'serverError'; readonly status?: number; readonly path?: string; readonly times?: number }
  | { readonly kind: 'rateLimited'; readonly retryAfterSeconds: number; readonly path?: string; readonly times?: number }
  | { readonly kind: 'slowResponse'; readonly delayMs: number; readonly path?: string };
export type FaultKind = FaultSpec['kind'];

export interface MockSetup {
  readonly accounts: readonly ScenarioAccount[];
  readonly credentials: readonly CredentialSpec[];
  /** Faults installed before the first step. */
  readonly faults?: readonly FaultSpec[];
  /** The mock clock moved before the first step (seconds, may be negative). */
  readonly clockOffsetSeconds?: number;
}

// ---------------------------------------------------------------- homes and actors

/** A ChatGPT base URL: a literal one, or the mock's own loopback origin (clients that take a custom base). */
export type BaseUrlSpec = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'mockOrigin' };

/**
 * What a CODEX_HOME's auth.json holds (or, for env credentials, what the actor's environment
 * carries): where a credential goes follows its kind (chatgptTokens and apiKey: auth.json;
 * agentIdentity and personalAccessToken: CODEX_ACCESS_TOKEN; hostTokens: nowhere, the host logs in).
 */
export type LoginSpec =
  | {
      readonly kind: 'credential';
      readonly credential: string;
      /** auth.json `tokens.account_id` written (default true). */
      readonly storedAccountId?: boolean;
      /** Age of `last_refresh` (default 0: written now). */
      readonly lastRefreshAgeSeconds?: number;
      /**
       * An `apiKey` credential stored as `OPENAI_API_KEY` beside the ChatGPT tokens (as `codex
       * login` kept the key it exchanged the id_token for): a key a token writer does not own.
       */
      readonly apiKey?: string;
      /**
       * auth.json `auth_mode` beside the tokens (default `chatgpt`, as a ChatGPT login writes it):
       * `apikey` says the last login was the API key, so a home with `apiKey` beside ChatGPT tokens
       * runs in API-key mode (the source's `AuthDotJson::resolved_mode`; corpus B5). Needs `apiKey`.
       */
      readonly authMode?: 'apikey';
    }
  | { readonly kind: 'none' };

/** config.toml settings beyond the base (codex-cli family; other actors ignore them). */
export interface HomeConfig {
  /** `model_provider` = a custom provider at this base, `requires_openai_auth = false`, no auth of its own. */
  readonly customModelProviderBaseUrl?: string;
  /** `forced_chatgpt_workspace_id` = a workspace none of the scenario's credentials belongs to. */
  readonly forcedWorkspace?: 'other';
  /** `[features] apps = true`: the Apps feature where it is experimental and off by default (corpus B4). */
  readonly appsFeature?: true;
  /**
   * `preferred_auth_method = "apikey"`: how releases before PR #3189 (rust-v0.35.0) chose the API
   * key over ChatGPT tokens stored beside it (codex-rs/core/src/config.rs@rust-v0.34.0
   * `cfg.preferred_auth_method.unwrap_or(AuthMode::ChatGPT)`); later releases ignore the key.
   */
  readonly preferredAuthMethod?: 'apikey';
}

export interface HomeSetup {
  readonly id: string;
  readonly login: LoginSpec;
  readonly chatgptBaseUrl?: BaseUrlSpec;
  readonly config?: HomeConfig;
}

export const ACTOR_KINDS = ['codexExec', 'codexAppServer', 'codexTui', 'client', 'driver'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * Who acts. `codexExec`: a `codex exec` turn per `exec` step (a fresh process each time).
 * `codexAppServer`: one long-lived `codex app-server` from `start` to `stop`, driven by
 * `appServer*` steps. `codexTui`: the interactive `codex` under a pseudo-terminal, from `start` to
 * `stop`, optionally typed at (`tuiPrompt`); its screen is kept only for diagnosis (scrubbed).
 * `client`: the third-party client under test (its driver), one process from
 * `start` to `stop`. `driver`: a driver-protocol implementation; with protocol v2 several
 * instances may share one CODEX_HOME and invokes may run concurrently in one process.
 */
export type ActorSpec =
  | {
      readonly id: string;
      readonly kind: 'codexExec';
      readonly home: string;
      /**
       * Environment variables for the binary beyond the harness's own (e.g. `OPENAI_BASE_URL`):
       * never a name the harness sets (actor-env.ts) nor a secret (load-scenario.ts refuses both).
       */
      readonly env?: Readonly<Record<string, string>>;
    }
  | {
      readonly id: string;
      readonly kind: 'codexAppServer';
      readonly home: string;
      /** Credential the host answers `account/chatgptAuthTokens/refresh` with (default: the last login's). */
      readonly refreshAnswer?: string;
      /** Environment variables for the binary beyond the harness's own, as for `codexExec`. */
      readonly env?: Readonly<Record<string, string>>;
    }
  | {
      readonly id: string;
      readonly kind: 'codexTui';
      readonly home: string;
      /** Environment variables for the binary beyond the harness's own, as for `codexExec`. */
      readonly env?: Readonly<Record<string, string>>;
    }
  /** `client`: which ecosystem client (clients.ts id) plays it; absent: the client under test, whichever. */
  | { readonly id: string; readonly kind: 'client'; readonly home: string; readonly client?: string }
  | { readonly id: string; readonly kind: 'driver'; readonly home: string; readonly instance?: string };

// ---------------------------------------------------------------- steps

/** What a `writeAuthJson` step puts in a home (as another process would). */
export type AuthJsonWrite =
  /** The login of a credential (another account's, or the same one again). */
  | { readonly kind: 'login'; readonly credential: string; readonly storedAccountId?: boolean; readonly lastRefreshAgeSeconds?: number }
  /**
   * The same account's rotated tokens: the mock redeems `credential`'s current refresh token as
   * another process would (it is spent), and the new generation is written; later steps that
   * name `credential` mean the new generation.
   */
  | { readonly kind: 'rotated'; readonly credential: string }
  /** `codex logout`: auth.json removed. */
  | { readonly kind: 'logout' };

export type Step =
  /** One `codex exec` turn, from start to exit. `stopAfter: modelTraffic` ends it at the first Responses request. */
  | { readonly kind: 'exec'; readonly actor: string; readonly prompt?: string; readonly stopAfter?: 'modelTraffic' }
  /** Starts a long-lived actor (app-server: initialize; client or driver: start + configure). */
  | { readonly kind: 'start'; readonly actor: string }
  | { readonly kind: 'stop'; readonly actor: string }
  /** app-server: `account/login/start` with host-supplied tokens. */
  | { readonly kind: 'appServerLogin'; readonly actor: string; readonly credential: string }
  /** app-server: a turn (`thread/start` once, `turn/start`, until `turn/completed`). */
  | { readonly kind: 'appServerTurn'; readonly actor: string; readonly prompt?: string }
  /** app-server: any JSON-RPC request; its answer is recorded. */
  | { readonly kind: 'appServerRequest'; readonly actor: string; readonly method: string; readonly params?: unknown }
  /** codexTui: types `prompt` into the composer and presses Enter (a slash command such as `/status` too). */
  | { readonly kind: 'tuiPrompt'; readonly actor: string; readonly prompt: string }
  /** client or driver: invoke a callsite (a client's model request is `core.responses`). */
  | { readonly kind: 'invoke'; readonly actor: string; readonly callsite: string }
  /** client or driver: ask what it can show (`authJson`, `callerStore`, ...). */
  | { readonly kind: 'introspect'; readonly actor: string; readonly what: string }
  /** Several steps at once; done when all are. */
  | { readonly kind: 'concurrently'; readonly steps: readonly Step[] }
  | { readonly kind: 'writeAuthJson'; readonly home: string; readonly write: AuthJsonWrite }
  | { readonly kind: 'advanceClock'; readonly seconds: number }
  | { readonly kind: 'setFault'; readonly fault: FaultSpec }
  | { readonly kind: 'clearFaults' }
  /**
   * The backend stops accepting the credential's current access token (401 until refreshed).
   * `scope: login`: every access token issued to the credential's login family so far, the ones
   * an actor's own refreshes minted included (default `issued`: the one the scenario knows).
   */
  | { readonly kind: 'revokeAccessToken'; readonly credential: string; readonly scope?: 'issued' | 'login' }
  /** Records the home's auth.json now (fingerprinted contents, mode, inode) under `label`. */
  | { readonly kind: 'snapshotAuthJson'; readonly home: string; readonly label: string }
  /**
   * Waits in real time. The binary reads the wall clock (`advanceClock` moves only the mock's), so
   * a token issued with `expiresIn` enters a release's refresh window only by waiting.
   */
  | { readonly kind: 'wait'; readonly ms: number; /** Return once the scenario's journal holds this many requests (at most `ms`). */ readonly untilRequests?: number }
  /**
   * Arms a write of auth.json (as another process would) that runs inside the mock's answer to the
   * `at`-th 401 on one request path (the first path to get there; `path`: only paths ending so),
   * before that answer goes out: tokens rotated between a client's first 401 on a callsite (its
   * reload step) and its second (its refresh step). The step itself returns at once; a later actor
   * step triggers it, once. Unfired at the end: recorded in the step's outcome.
   */
  | { readonly kind: 'writeAuthJsonAt401'; readonly home: string; readonly write: AuthJsonWrite; readonly at: number; readonly path?: string };
export type StepKind = Step['kind'];

export const STEP_KINDS = [
  'exec',
  'start',
  'stop',
  'appServerLogin',
  'appServerTurn',
  'appServerRequest',
  'tuiPrompt',
  'invoke',
  'introspect',
  'concurrently',
  'writeAuthJson',
  'advanceClock',
  'setFault',
  'clearFaults',
  'revokeAccessToken',
  'snapshotAuthJson',
  'wait',
  'writeAuthJsonAt401',
] as const satisfies readonly StepKind[];

// ---------------------------------------------------------------- judging and applicability

/**
 * Which judge reads the scenario's recording. `codexCliCase`: the real-CLI judges (per request,
 * plus the case families in judge-scenarios.ts). `ecosystemScenario`: the third-party client judge.
 * `rules`: checkers named by rule id (the SHARE rules) over the journal and the auth.json each
 * actor left.
 */
export type JudgeSpec =
  | { readonly kind: 'codexCliCase' }
  | { readonly kind: 'ecosystemScenario' }
  /** A third-party client and the codex binary on one CODEX_HOME (src/harness/judges/coexistence/). */
  | { readonly kind: 'coexistence' }
  | { readonly kind: 'rules'; readonly rules: readonly string[] };

/** When a scenario cannot run, with the reason shown instead of a verdict. */
export type Requirement =
  /** codex-cli: the release is at least `version`. */
  | { readonly kind: 'minRelease'; readonly version: string; readonly reason: string }
  /** codex-cli: a fact of the release's source (src/harness/codex-cli/release-facts.ts) holds. */
  | { readonly kind: 'releaseFact'; readonly fact: 'agentIdentityJwtEnv'; readonly reason: string }
  /** the client takes a custom base URL (ecosystem). */
  | { readonly kind: 'clientCapability'; readonly capability: 'customBaseUrl'; readonly reason: string }
  /** host names mapped to the mock: the scenario needs the namespace (not run unisolated). */
  | { readonly kind: 'hostMapping'; readonly reason: string };

export interface BlackboxScenario {
  readonly $schema?: string;
  readonly format: typeof SCENARIO_FORMAT;
  /** Unique within its family; the case id in results (`codex-cli:<id>`, `<client>-<id>`). */
  readonly id: string;
  readonly family: ScenarioFamily;
  readonly title: string;
  readonly description?: string;
  readonly mock: MockSetup;
  readonly homes: readonly HomeSetup[];
  readonly actors: readonly ActorSpec[];
  readonly steps: readonly Step[];
  /** Host names (besides the production hosts) the namespace maps to the scenario's mock. */
  readonly extraHosts?: readonly string[];
  readonly requires?: readonly Requirement[];
  readonly judge: JudgeSpec;
}
