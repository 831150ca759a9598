import type { Fault } from '../../mocks/faults.js';
import type { MockBackend } from '../../mocks/state/mock-backend.js';
import type { ObservedRequest } from '../rules/observed-request.js';

/** Base URLs an implementation under test is pointed at for one case. */
export interface MockUrls {
  /** Scheme, host and port (and per-case prefix, on a real port) without a trailing slash. */
  readonly root: string;
  /** `{root}/backend-api/` — the `/wham/...` path style. */
  readonly chatgptBackendApi: string;
  /** `{root}/api/codex` — the `/api/codex/...` path style. */
  readonly chatgptCodexApi: string;
  /** `{root}/v1` — the OpenAI API for API-key traffic. */
  readonly openai: string;
}

/**
 * What the runner needs from a mock backend, whichever way it is served: in process (MSW
 * interception) or on a real loopback port with per-case path prefixes.
 */
export interface MockControl {
  readonly backend: MockBackend;
  /** In-process mocks serve only in-process implementations; a port serves any process. */
  readonly transport: 'inProcess' | 'port';
  /**
   * Whether requests to the production hosts (chatgpt.com, auth.openai.com, api.openai.com) reach
   * this mock: true in process (MSW intercepts them), and on a port only where the run maps those
   * hosts to it (a loopback-only namespace with a hosts file and a run CA). Scenarios that
   * configure a production base are generated only then.
   */
  readonly productionHosts: boolean;
  /**
   * Whether the mock also answers the other origins a generated base may name: staging
   * (https://chatgpt-staging.com and its authapi host), a custom https host, `localhost` and
   * `[::1]` on the mock's port. True in process (MSW intercepts every origin); a port mock serves
   * only its own origin (and production where mapped).
   */
  readonly anyHost?: boolean;
  /**
   * Whether requests to the staging hosts (https://chatgpt-staging.com, its authapi
   * https://auth.api.openai.org) reach this mock: in process, and on a port where the production
   * hosts do (the namespace's hosts file and run certificate carry the staging hosts too).
   */
  readonly stagingHosts?: boolean;
  /** Attributes the requests that follow to `caseId` and returns the URLs for that case. */
  beginCase(caseId: string): MockUrls;
  journal(caseId: string): readonly ObservedRequest[];
  /** Every journal entry of the run, in order. */
  allEntries(): readonly ObservedRequest[];
  /** Selects a fault for the current case (see mocks/faults.ts); cleared by `endCase`. */
  useFaults(...faults: Fault[]): void;
  endCase(): void;
  close(): Promise<void>;
}
