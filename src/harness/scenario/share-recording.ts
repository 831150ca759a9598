import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { AuthJsonState, ShareStep } from '../../rules/check-share.js';
import type { IssuedLineage } from '../../rules/observed-request.js';
import type { ActorKind, BlackboxScenario, Step } from './scenario.js';

/**
 * What the SHARE checkers (`judgeShareScenario`, src/rules/check-share.ts) read of a played
 * scenario: one `ShareStep` per top-level step that an actor took (a `concurrently` group is one
 * step with several actors: a race) or that wrote auth.json as another process, with the journal
 * span it caused and the home's auth.json before and after it; plus the mock's issued lineage.
 *
 * A write armed with `writeAuthJsonAt401` fires inside an actor's step: the step is split there
 * (the actor's part before, the write, the actor's part after), so a redemption after the write is
 * judged against the tokens the write put on disk.
 *
 * The auth.json states hold the raw text (the checkers fingerprint the refresh token themselves
 * and compare whole files): they stay in the memory of the namespaced process that judges them
 * and are never printed or written (the evidence carries the fingerprinted snapshots instead).
 */
export interface ShareRecording {
  readonly steps: readonly ShareStep[];
  readonly issued: readonly IssuedLineage[];
  /** Why the play is not the scenario the file describes (e.g. an armed write never fired): the checkers then skip. */
  readonly problems: readonly string[];
}

interface Segment {
  readonly seq: number;
  readonly state: AuthJsonState;
}

interface Interrupt {
  /** The last journal seq when the write started; the request being answered is journaled after it. */
  readonly seq: number;
  /** Path of the request in whose answer the write ran (it belongs before the write). */
  readonly path?: string;
  readonly label: string;
  readonly before: AuthJsonState;
  readonly after: AuthJsonState;
}

/** A home as the recorder needs it. */
export interface ShareHome {
  readonly id: string;
  readonly authPath: string;
}

/** The scenario's journal, as the recorder needs it. */
export interface ShareJournal {
  entries(): readonly { readonly seq: number; readonly url?: string }[];
}

export async function authJsonState(path: string): Promise<AuthJsonState> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    return { text, mode: info.mode & 0o777 };
  } catch {
    return { text: undefined };
  }
}

function authJsonStateSync(path: string): AuthJsonState {
  try {
    return { text: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o777 };
  } catch {
    return { text: undefined };
  }
}

function actorSteps(step: Step): Array<Extract<Step, { readonly actor: string }>> {
  if (step.kind === 'concurrently') return step.steps.flatMap(actorSteps);
  return 'actor' in step ? [step] : [];
}

function writes(step: Step): boolean {
  return step.kind === 'writeAuthJson' || (step.kind === 'concurrently' && step.steps.some(writes));
}

/** Actors that hold one AuthManager for their whole life (the source's refresh lock and cache are per manager). */
const ONE_AUTH_MANAGER: ReadonlySet<ActorKind> = new Set<ActorKind>(['codexAppServer', 'codexTui', 'driver']);

export class ShareRecorder {
  readonly #journal: ShareJournal;
  readonly #scenario: BlackboxScenario;
  readonly #steps: ShareStep[] = [];
  #interrupts: Interrupt[] = [];

  constructor(journal: ShareJournal, scenario: BlackboxScenario) {
    this.#journal = journal;
    this.#scenario = scenario;
  }

  /** The split point: the request whose answer carried the write (journaled after it started) goes before it. */
  #boundary(i: Interrupt): number {
    if (i.path === undefined) return i.seq;
    const answered = this.#journal.entries().find((e) => e.seq > i.seq && e.url !== undefined && new URL(e.url).pathname === i.path);
    return answered?.seq ?? i.seq;
  }

  #lastSeq(): number {
    return this.#journal.entries().at(-1)?.seq ?? 0;
  }

  /** The home a top-level step acts on (its first actor's, or the one it names). */
  homeOf(step: Step): string | undefined {
    if (step.kind === 'concurrently') return step.steps.map((s) => this.homeOf(s)).find((h) => h !== undefined);
    if ('actor' in step) return this.#scenario.actors.find((a) => a.id === step.actor)?.home;
    return 'home' in step ? step.home : undefined;
  }

  /** Plays one top-level step and records it when an actor took it or it wrote auth.json. */
  async around(step: Step, home: ShareHome | undefined, run: () => Promise<void>): Promise<void> {
    const actors = [...new Set(actorSteps(step).map((s) => s.actor))];
    const kind = actors.length > 0 ? 'client' : writes(step) ? 'write' : undefined;
    if (kind === undefined || home === undefined) {
      await run();
      return;
    }
    this.#interrupts = [];
    const start: Segment = { seq: this.#lastSeq(), state: await authJsonState(home.authPath) };
    await run();
    const end: Segment = { seq: this.#lastSeq(), state: await authJsonState(home.authPath) };
    const kinds = actors.map((id) => this.#scenario.actors.find((a) => a.id === id)?.kind);
    const oneAuthManager = actors.length === 1 && kinds.every((k) => k !== undefined && ONE_AUTH_MANAGER.has(k));
    const label = step.kind === 'concurrently' ? `${step.steps.map((s) => ('actor' in s ? `${s.kind} by ${s.actor}` : s.kind)).join(' + ')} at once` : 'actor' in step ? `${step.kind} by ${step.actor}` : step.kind;
    const base = { kind, actors, ...(oneAuthManager ? { oneAuthManager } : {}) } as const;
    let from = start;
    for (const i of this.#interrupts) {
      const at = this.#boundary(i);
      this.#steps.push({ ...base, label: `${label} (until ${i.label})`, fromSeq: from.seq, toSeq: at, before: from.state, after: i.before });
      this.#steps.push({ kind: 'write', actors: [], label: i.label, fromSeq: at, toSeq: at, before: i.before, after: i.after });
      from = { seq: at, state: i.after };
    }
    this.#steps.push({ ...base, label: this.#interrupts.length === 0 ? label : `${label} (after the write)`, fromSeq: from.seq, toSeq: end.seq, before: from.state, after: end.state });
    this.#interrupts = [];
  }

  /** A write of auth.json inside a running step (writeAuthJsonAt401): splits that step here. */
  async interrupt(home: ShareHome, label: string, write: () => Promise<void>, path?: string): Promise<void> {
    // The boundary and the state before are taken synchronously with the write's start (a rotation
    // marks the old token spent before its first await): requests journaled later come after it.
    const seq = this.#lastSeq();
    const before = authJsonStateSync(home.authPath);
    await write();
    this.#interrupts.push({ seq, label, before, after: await authJsonState(home.authPath), ...(path === undefined ? {} : { path }) });
  }

  recording(issued: readonly IssuedLineage[], problems: readonly string[] = []): ShareRecording {
    return { steps: [...this.#steps], issued, problems };
  }
}
