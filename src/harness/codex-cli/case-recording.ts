/**
 * A played codex-cli scenario as the judges read it: the expectation of its logins, one turn per
 * turn step, what the binary left (auth.json while it ran, the Apps cache files, the host's refresh
 * answers), one outcome for reports, and its wire record (secrets as token classes only).
 */
import type { ModelRequest } from '../../../mocks/state/model-request-log.js';
import { codexCliCaseView, expectationFor, homeLoginCredential, type RunExpectation } from '../judges/codex-cli/case-view.js';
import type { RecordedRun, RunConfig } from '../judges/codex-cli/judge-run.js';
import type { AuthJsonObservation } from '../scenario/auth-json-watch.js';
import type { ScenarioPlay } from '../scenario/run-scenario.js';
import type { BlackboxScenario } from '../scenario/scenario.js';
import type { SeededCredential } from '../scenario/seed-scenario.js';
import { wireCase, type WireCase } from '../wire-record.js';
import type { CacheFile } from './cache-files.js';
import { describeOutcome, type CodexStepDetail } from './codex-actors.js';
import type { TurnOutcome } from './run-codex-turn.js';

/** What the binary left behind besides the journal, as the judges read it. */
export interface CaseObservations {
  /** Model and tool names of every Responses request (SSE and WebSocket). */
  readonly modelRequests: readonly ModelRequest[];
  /** Per turn, the model requests' sequence numbers that belong to it (switch cases run two). */
  readonly turns: ReadonlyArray<{ readonly bearer?: string; readonly accountId?: string; readonly appsCacheKey?: string; readonly appsTools: readonly string[]; readonly modelRequestSeqs: readonly number[]; readonly journalSeqs: readonly number[]; readonly completed: boolean; readonly cacheFiles: readonly CacheFile[] }>;
  readonly authJson?: AuthJsonObservation;
  /** app-server: refresh requests the host answered. */
  readonly hostRefreshRequests?: number;
}

export interface CaseRecording {
  readonly run: RecordedRun;
  readonly outcome: TurnOutcome;
  readonly observations: CaseObservations;
  /** Requests no mock handler matched (each one is evidence, not a verdict). */
  readonly unhandled: readonly string[];
  /** The scenario's own record: every step and the auth.json each actor left. */
  readonly play: Omit<ScenarioPlay<CodexStepDetail>, 'seeded' | 'homes'>;
  readonly scenario: BlackboxScenario;
}

/**
 * The judges' view of a played scenario: the expectation of its first login, one turn per turn
 * step (each with the steps of its actor since the previous turn; the last keeps the ones after
 * it), auth.json while the first process step ran, the host's refresh answers.
 */
export function recordingOf(s: BlackboxScenario, play: ScenarioPlay<CodexStepDetail>, modelRequests: readonly ModelRequest[], version: string, runConfig: RunConfig): CaseRecording {
  const view = codexCliCaseView(s);
  const switching = view.switchAccount === true;
  const credentialOf = (id: string): SeededCredential => play.seeded.credentials.get(id)!;
  const actor = s.actors[0]!;
  const actorSteps = play.steps.filter((x) => x.actor === actor.id);
  const isTurn = (k: string): boolean => k === 'exec' || k === 'appServerTurn';
  // The login in force at each turn: the home's, then each later login (auth.json write or app-server login), in step order.
  const primary = s.homes[0] === undefined ? undefined : homeLoginCredential(s.homes[0].login);
  let current: string | undefined = primary;
  const flat = s.steps.flatMap((x) => (x.kind === 'concurrently' ? x.steps : [x]));
  const loginAt = new Map<number, string | undefined>();
  flat.forEach((x, i) => {
    if (x.kind === 'appServerLogin') current = x.credential;
    if (x.kind === 'writeAuthJson' && x.write.kind === 'login') current = x.write.credential;
    loginAt.set(i + 1, current);
  });
  const first = primary ?? flat.find((x) => x.kind === 'appServerLogin')?.credential;
  const expectation: RunExpectation = first === undefined ? { caseId: s.id, mode: view.mode, forgedJwt: false, isFedramp: false } : expectationFor(view, credentialOf(first), switching);
  const turns: Array<CaseObservations['turns'][number]> = [];
  let from = 0;
  const turnIdx = actorSteps.map((x, i) => (isTurn(x.kind) ? i : -1)).filter((i) => i >= 0);
  turnIdx.forEach((ti, k) => {
    const last = k === turnIdx.length - 1;
    const span = actorSteps.slice(from, last ? actorSteps.length : ti + 1);
    from = ti + 1;
    const t = actorSteps[ti]!;
    const login = loginAt.get(t.index) ?? first;
    const x = login === undefined ? expectation : expectationFor(view, credentialOf(login), switching);
    turns.push({
      cacheFiles: t.detail?.cacheFiles ?? [],
      ...(x.turnBearer === undefined ? {} : { bearer: x.turnBearer }),
      ...(x.accountId === undefined ? {} : { accountId: x.accountId }),
      ...(x.appsCacheKey === undefined ? {} : { appsCacheKey: x.appsCacheKey }),
      appsTools: x.appsTools ?? [],
      modelRequestSeqs: span.flatMap((y) => y.modelRequestSeqs),
      journalSeqs: span.flatMap((y) => y.journalSeqs),
      completed: t.outcome?.completed === true,
    });
  });
  const outcome = overallOutcome(actorSteps);
  const firstProcess = actorSteps[0];
  const watch = view.mode === 'chatgpt' && (view.tokens !== undefined || view.refreshRefusal !== undefined) ? firstProcess?.authJsonWatch : undefined;
  const observations: CaseObservations = {
    modelRequests,
    turns,
    ...(watch === undefined ? {} : { authJson: watch }),
    ...(outcome.appServer?.hostRefreshRequests === undefined ? {} : { hostRefreshRequests: outcome.appServer.hostRefreshRequests }),
  };
  const { seeded: _seeded, homes: _homes, ...rest } = play;
  return {
    run: { release: version, expectation, config: runConfig, entries: play.entries, outcome: { completed: outcome.completed, description: describeOutcome(outcome) }, observations },
    outcome,
    observations,
    unhandled: play.unhandled,
    play: rest,
    scenario: s,
  };
}

/**
 * One outcome per case for reports: exec, the last turn unless the first failed and the last did
 * too; a TUI, how its `stop` found it; an app-server, completed when every one of its steps completed, with the first error.
 */
function overallOutcome(steps: ScenarioPlay<CodexStepDetail>['steps']): TurnOutcome {
  const execs = steps.filter((x) => x.kind === 'exec').map((x) => x.detail?.process).filter((x): x is TurnOutcome => x !== undefined);
  if (execs.length > 0) {
    const [a, b] = [execs[0]!, execs.at(-1)!];
    return b.completed ? b : a.completed ? b : a;
  }
  const tui = steps.find((x) => x.kind === 'stop' && x.detail?.process?.flow === 'tui')?.detail?.process;
  if (tui !== undefined) return tui;
  const stopped = steps.find((x) => x.kind === 'stop')?.detail?.process;
  const answers = steps.map((x) => x.detail?.appServer).filter((x) => x !== undefined);
  const failed = answers.find((x) => !x.ok);
  const lastAnswer = answers.at(-1);
  const completed = failed === undefined && lastAnswer?.reached === 'turnCompleted';
  return {
    flow: 'appServer',
    completed,
    exitCode: stopped?.exitCode ?? null,
    signal: stopped?.signal ?? null,
    timedOut: false,
    durationMs: steps.reduce((n, x) => n + (x.outcome?.durationMs ?? 0), 0),
    stderrTail: stopped?.stderrTail ?? '',
    ...(lastAnswer?.agentMessage === undefined ? {} : { agentMessage: lastAnswer.agentMessage }),
    appServer: { reached: (failed ?? lastAnswer)?.reached ?? 'none', hostRefreshRequests: lastAnswer?.hostRefreshRequests ?? 0, ...(failed?.error === undefined ? {} : { error: failed.error }) },
  };
}

/** The wire record of one recorded case (secrets as token classes only), for `matrix --diff`. */
export function recordingWire(r: CaseRecording): WireCase {
  const accountId = r.run.expectation.accountId;
  return wireCase(r.run.expectation.caseId, r.run.outcome.description, r.run.entries, accountId === undefined ? {} : { accountId });
}
