import type { IssuedLineage, RefreshLineage } from '../../../rules/observed-request.js';
import type { AuthJsonSnapshot } from '../../scenario/recording.js';
import type { ActorKind, StepKind } from '../../scenario/scenario.js';

/**
 * What the coexistence judge reads of one played coexistence scenario (a third-party client and
 * the codex binary on one CODEX_HOME, scenarios/blackbox/coexistence/): the steps with who took
 * them and the journal span each caused, every token request with its refresh-token lineage, the
 * pairs the mock minted (`GET /__control/lineage`: fingerprints), and each home's auth.json after
 * every step (fingerprints, mode). Secret-free: it can be kept as a test fixture.
 */
export interface CoexistenceStep {
  /** 1-based step position (run-scenario.ts). */
  readonly index: number;
  readonly kind: StepKind;
  readonly actor?: string;
  readonly actorKind?: ActorKind;
  readonly journalSeqs: readonly number[];
  readonly completed: boolean;
  /** One scrubbed line (exit code and stderr tail of a `codex exec`, a driver's outcome). */
  readonly description: string;
  /** The actor's auth.json polled while the step ran: polls, and how many read a half-written file. */
  readonly authJsonWatch?: { readonly polls: number; readonly tornReads: number };
}

export interface CoexistenceTokenRequest {
  readonly seq: number;
  readonly status: number;
  readonly refresh: RefreshLineage;
}

export interface CoexistenceRecording {
  readonly clientId: string;
  readonly clientVersion: string;
  /** The codex binary's release beside it. */
  readonly codexVersion?: string;
  /** The scenario file's id, e.g. `pi-ai-clientFirst`. */
  readonly scenarioId: string;
  readonly order: CoexistenceOrder;
  readonly title: string;
  /** The home the codex actors use (CODEX_HOME). */
  readonly codexHome: string;
  /** The client actor's id and home (its home is CODEX_HOME unless the client keeps its own login). */
  readonly clientActor: string;
  readonly clientHome: string;
  readonly steps: readonly CoexistenceStep[];
  readonly tokenRequests: readonly CoexistenceTokenRequest[];
  readonly issued: readonly IssuedLineage[];
  readonly snapshots: readonly AuthJsonSnapshot[];
  /** Crashes, hangs, names the client tried to resolve (scrubbed). */
  readonly safety: readonly string[];
  readonly durationMs: number;
}

/** (a) the client refreshes first, then Codex; (b) Codex refreshes while the client is up, then the client runs. */
export const COEXISTENCE_ORDERS = ['clientFirst', 'codexFirst'] as const;
export type CoexistenceOrder = (typeof COEXISTENCE_ORDERS)[number];

/** The order a coexistence scenario plays, from its id (`<client>-clientFirst` / `<client>-codexFirst`). */
export function orderOf(scenarioId: string): CoexistenceOrder | undefined {
  return COEXISTENCE_ORDERS.find((o) => scenarioId.endsWith(`-${o}`));
}
