/**
 * What the runner (run-scenario.ts) records while it plays a scenario, for the judges: the
 * journal, one record per step (its actor, the journal and model-request sequence numbers it
 * spans, its outcome) and the auth.json of every home after every step that could change it,
 * attributed to the actor that ran. Secrets appear only as fingerprints (`fp:`, the same keyed
 * fingerprint the journal uses, so a refresh token in a snapshot can be matched with the token
 * request that redeemed it). Raw values never leave the namespaced process.
 */
import type { ObservedRequest } from '../../rules/observed-request.js';
import type { ActorKind, ScenarioFamily, StepKind } from './scenario.js';

/** One look at a home's auth.json. */
export interface AuthJsonSnapshot {
  readonly home: string;
  /** `after step 3 (exec by codexA)`, or the label of a snapshotAuthJson step. */
  readonly label: string;
  /** The step after which it was taken (0: before the first step). */
  readonly afterStep: number;
  /** The actor whose step left it (absent: before the first step, or a harness write). */
  readonly actor?: string;
  readonly present: boolean;
  /** Octal permission bits, e.g. `600`. */
  readonly mode?: string;
  readonly inode?: number;
  /** False when the file exists but is not JSON. */
  readonly parses?: boolean;
  readonly authMode?: string | null;
  readonly accountId?: string | null;
  readonly lastRefresh?: string | null;
  /** Fingerprints (`fp:...`) of the tokens, null when a field is absent. */
  readonly tokens?: { readonly idToken: string | null; readonly accessToken: string | null; readonly refreshToken: string | null };
  readonly apiKey?: string | null;
}

/** How a process step ended (scrubbed text only). */
export interface StepOutcome {
  /** A turn or invoke completed (exec exit 0, app-server turn/completed, a driver `sent`). */
  readonly completed: boolean;
  /** One line for reports (exit code, where an app-server stopped, a driver's outcome kind). */
  readonly description: string;
  readonly durationMs: number;
}

export interface StepRecord {
  /** 1-based position among the flattened steps (a `concurrently` group's members each get one). */
  readonly index: number;
  readonly kind: StepKind;
  readonly actor?: string;
  readonly actorKind?: ActorKind;
  /** Index of the `concurrently` group the step ran in (1-based position of the group), if any. */
  readonly group?: number;
  /** Journal entries received while the step ran: [from, to) sequence numbers. */
  readonly journalSeqs: readonly number[];
  readonly modelRequestSeqs: readonly number[];
  readonly outcome?: StepOutcome;
}

export interface ScenarioRun {
  readonly scenarioId: string;
  readonly family: ScenarioFamily;
  /** The case id the journal entries carry. */
  readonly caseId: string;
  readonly entries: readonly ObservedRequest[];
  readonly steps: readonly StepRecord[];
  readonly authJson: readonly AuthJsonSnapshot[];
  /** Requests no mock route matched (evidence, not a verdict). */
  readonly unhandled: readonly string[];
  readonly durationMs: number;
}

/** The auth.json each actor left: the snapshot after its last step (what a SHARE checker reads per actor). */
export function authJsonLeftBy(run: Pick<ScenarioRun, 'authJson'>): ReadonlyMap<string, AuthJsonSnapshot> {
  const out = new Map<string, AuthJsonSnapshot>();
  for (const s of run.authJson) if (s.actor !== undefined) out.set(s.actor, s);
  return out;
}
