import { readFile } from 'node:fs/promises';
import { readAuthJsonState, strayAuthFiles, type AuthJsonObservation, type AuthJsonState } from '../../scenario/auth-json-watch.js';
import { scrubSecrets, tail } from '../../isolation/scrub-secrets.js';
import type { ModelRequestSeen } from './race-mock.js';
import type { Redemption, TokenLineage } from './token-lineage.js';

/**
 * What one race run observed, redacted: tokens only as lineage labels (`A0`, `A1`, `B0`) and
 * keyed fingerprints, errors scrubbed. One observation per scenario × release × run, split in
 * phases (a phase ends when the harness changes something: a rotation, another login). Each
 * field is a fact a SHARE rule can read: the redemptions (who presented which generation, who got
 * 200 or 401 `refresh_token_reused`), the model requests' Bearer per actor, each actor's end, the
 * final auth.json.
 */
export const RACE_SCENARIO_IDS = ['execRace', 'appServerRotation', 'rotateBetween401s'] as const;
export type RaceScenarioId = (typeof RACE_SCENARIO_IDS)[number];

export interface ActorOutcome {
  readonly actor: string;
  /** `codex exec` exited 0, or the app-server turn completed. */
  readonly completed: boolean;
  readonly exitCode?: number | null;
  /** The binary told the user the refresh token was already used (`refresh_token_reused`). */
  readonly reusedError: boolean;
  /** The binary told the user they logged out or signed in to another account. */
  readonly otherAccountError: boolean;
  /** Scrubbed last error line. */
  readonly error?: string;
  readonly durationMs: number;
}

export interface AuthJsonEnd {
  readonly exists: boolean;
  /** Label of the refresh token on disk (`A2`), `unknown`, or absent. */
  readonly refresh?: string;
  readonly access?: string;
  /** Family whose account `tokens.account_id` names (`B` next to refresh `A2` is a mixed file). */
  readonly account?: string;
  readonly refreshFp?: string;
  readonly mode?: string;
  /** A different inode than at the phase's start: the file was replaced, not rewritten in place. */
  readonly replaced: boolean;
  /** Access-token labels auth.json held while the phase ran, in order (writes by anyone, the harness's included). */
  readonly written: readonly string[];
  /** Files beside auth.json named after it at the end (`auth.json.lock`, a temp file). */
  readonly sidecars: readonly string[];
  readonly tornReads: number;
}

export interface PhaseObservation {
  readonly phase: string;
  /** What the harness did before this phase, as "another process". */
  readonly setup: string;
  readonly redemptions: readonly Redemption[];
  readonly modelRequests: readonly ModelRequestSeen[];
  /** Responses calls that asked for output (HTTP or a WebSocket message, also on a socket opened in an earlier phase). */
  readonly modelCalls: readonly { readonly actor: string; readonly transport: string }[];
  readonly outcomes: readonly ActorOutcome[];
  readonly authJson: AuthJsonEnd;
}

export interface RaceObservation {
  readonly scenario: RaceScenarioId;
  readonly release: string;
  readonly run: number;
  readonly durationMs: number;
  readonly phases: readonly PhaseObservation[];
  /** Setup problems that make the run not count (e.g. the app-server did not start). */
  readonly problems: readonly string[];
}

const REUSED = /already used|refresh_token_reused/i;
const OTHER_ACCOUNT = /another account|logged out or signed in/i;

/** The last line of text that looks like an error, scrubbed and shortened. */
export function errorLine(text: string, secrets: readonly string[]): string | undefined {
  const lines = tail(text, 4000).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const hit = [...lines].reverse().find((l) => /error|failed|could not|refresh/i.test(l)) ?? lines.at(-1);
  return hit === undefined ? undefined : scrubSecrets(hit, secrets).slice(0, 240);
}

export function actorOutcome(actor: string, r: { readonly completed: boolean; readonly exitCode?: number | null; readonly text: string; readonly durationMs: number }, secrets: readonly string[]): ActorOutcome {
  const error = r.completed ? undefined : errorLine(r.text, secrets);
  return {
    actor,
    completed: r.completed,
    ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }),
    reusedError: REUSED.test(r.text),
    otherAccountError: OTHER_ACCOUNT.test(r.text),
    ...(error === undefined ? {} : { error }),
    durationMs: r.durationMs,
  };
}

/** auth.json at the end of a phase, by lineage label. */
/** `tokens.account_id` of an auth.json (an account id is not a secret), or undefined. */
export async function accountIdOnDisk(path: string): Promise<string | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as { tokens?: { account_id?: unknown } | null };
    const id = value.tokens?.account_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export async function authJsonEnd(path: string, start: AuthJsonState, watched: AuthJsonObservation | undefined, lineage: TokenLineage, familyOfAccount: (accountId: string | undefined) => string | undefined): Promise<AuthJsonEnd> {
  const after = watched?.after ?? (await readAuthJsonState(path));
  const refresh = lineage.labelOfFingerprint(after.refreshToken);
  const access = lineage.labelOfFingerprint(after.accessToken);
  const account = familyOfAccount(await accountIdOnDisk(path));
  return {
    exists: after.exists,
    ...(refresh === undefined ? {} : { refresh }),
    ...(access === undefined ? {} : { access }),
    ...(account === undefined ? {} : { account }),
    ...(after.refreshToken === undefined ? {} : { refreshFp: after.refreshToken }),
    ...(after.mode === undefined ? {} : { mode: after.mode.toString(8) }),
    replaced: after.exists && start.exists && after.inode !== start.inode,
    written: (watched?.seen ?? []).map((s) => (s.torn ? 'torn' : (lineage.labelOfFingerprint(s.accessToken) ?? 'none'))),
    sidecars: watched?.strayFiles ?? (await strayAuthFiles(path)),
    tornReads: watched?.tornReads ?? 0,
  };
}
