import { join } from 'node:path';
import type { Fault } from '../../../mocks/faults.js';
import type { MockBackend } from '../../../mocks/state/mock-backend.js';
import { assertNever } from '../../assert-never.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { watchAuthJson, type AuthJsonObservation } from './auth-json-watch.js';
import { renderAuthJson } from './codex-home.js';
import type { AuthJsonSnapshot, ScenarioRun, StepOutcome, StepRecord } from './recording.js';
import type { ActorSpec, AuthJsonWrite, BlackboxScenario, FaultSpec, HomeSetup, Step } from './scenario.js';
import { ShareRecorder, type ShareRecording } from './share-recording.js';
import { revokeAccessToken, revokeLoginAccessTokens, rotateCredential, seedScenario, type SeededCredential, type SeededScenario } from './seed-scenario.js';
import { waitFor } from './wait-step.js';
import { defaultPrepareHome, homeCredentials, snapshotAuthJson, writeAuthFile } from './scenario-homes.js';

/**
 * The one runner of black-box scenarios. It seeds the mock (seed-scenario.ts), prepares each
 * CODEX_HOME, then plays the steps in order: the steps that belong to nobody (auth.json writes,
 * the clock, faults, revocations, snapshots) itself, and every actor step through the family's
 * adapter (`ActorRunner`), which only knows how to run its kind of actor. `concurrently` starts its
 * steps together and waits for all. After every step it records the journal span of the step and
 * each home's auth.json (fingerprints, mode, inode), attributed to the actor that ran.
 *
 * It runs where the run is isolated (inside the loopback-only namespace) or on the unisolated
 * loopback transport the caller chose; it never starts a process itself.
 */
export interface ScenarioMock {
  readonly backend: MockBackend;
  /** The scenario's case id (journal attribution, fault scope). */
  readonly caseId: string;
  /** The scenario's journal so far, in order. */
  entries(): readonly ObservedRequest[];
  /** Sequence numbers of the model requests (Responses, SSE and WebSocket) so far. */
  modelRequestSeqs(): readonly number[];
  /** Replaces the scenario's faults. */
  setFaults(faults: readonly Fault[]): void;
  /** The mock's own origin as a ChatGPT base (`{kind: mockOrigin}` homes), when it has one. */
  readonly mockOriginBase?: string;
  /**
   * Runs `hook` inside the mock's answer to every 401 for a request's credential, before the answer
   * goes out (undefined: none). Needed by `writeAuthJsonAt401`; a mock without it cannot play that step.
   */
  onUnauthorized?(hook: ((url: URL) => Promise<void>) | undefined): void;
}

/** The credential a home or a write logs in with, resolved to its current generation. */
export interface ResolvedLogin {
  readonly credential: SeededCredential;
  readonly storedAccountId: boolean;
  /** RFC 3339 `last_refresh`. */
  readonly lastRefresh: string;
  /** `OPENAI_API_KEY` stored beside ChatGPT tokens (LoginSpec `apiKey`). */
  readonly apiKey?: string;
  /** auth.json `auth_mode` beside them (LoginSpec `authMode`; default chatgpt). */
  readonly authMode?: 'apikey';
}

export interface PreparedHome {
  readonly id: string;
  /** CODEX_HOME. */
  readonly dir: string;
  readonly authPath: string;
  readonly login?: ResolvedLogin;
  /** The ChatGPT base configured for the home, when not the production default. */
  readonly chatgptBaseUrl?: string;
}

/** A step an actor takes. */
export type ActorStep = Extract<Step, { readonly actor: string }>;

export interface PlayContext {
  readonly scenario: BlackboxScenario;
  readonly seeded: SeededScenario;
  readonly mock: ScenarioMock;
  /** The home's current login (after auth.json writes), for app-server logins and judges. */
  loginOf(home: string): ResolvedLogin | undefined;
}

/** What a family's adapter does for each actor step; `detail` is the adapter's own observation (scrubbed). */
export interface ActorRunner<D> {
  perform(step: ActorStep, actor: ActorSpec, home: PreparedHome, ctx: PlayContext): Promise<{ readonly outcome: StepOutcome; readonly detail?: D }>;
  /** Ends every actor still running (a scenario without `stop`, or an error). */
  dispose(): Promise<void>;
}

export interface RunScenarioOptions<D> {
  readonly scenario: BlackboxScenario;
  readonly mock: ScenarioMock;
  /** Scratch directory of the scenario (homes go below it). */
  readonly workDir: string;
  readonly actors: ActorRunner<D>;
  /** Writes a home's files before the first step (default: auth.json as the login says). */
  readonly prepareHome?: (home: HomeSetup, dir: string, login: ResolvedLogin | undefined, ctx: PlayContext) => Promise<PreparedHome>;
  /** Watch auth.json while each actor step runs (torn reads, every content seen). Default true. */
  readonly watchAuthJson?: boolean;
}

export interface StepDetail<D> extends StepRecord {
  readonly detail?: D;
  /** auth.json of the actor's home while the step ran. */
  readonly authJsonWatch?: AuthJsonObservation;
}

export interface ScenarioPlay<D> extends ScenarioRun {
  readonly steps: readonly StepDetail<D>[];
  readonly seeded: SeededScenario;
  readonly homes: ReadonlyMap<string, PreparedHome>;
  /** The SHARE judges' view (raw auth.json text: in memory only, never printed; see share-recording.ts). */
  readonly share: ShareRecording;
}

/** The login with the home's auth.json `auth_mode` (LoginSpec `authMode`), when it names one. */
function withAuthMode(login: ResolvedLogin, authMode: 'apikey' | undefined): ResolvedLogin {
  return authMode === undefined ? login : { ...login, authMode };
}

export function toFault(f: FaultSpec, caseId: string): Fault {
  switch (f.kind) {
    case 'tokenEndpointError':
      return { kind: 'tokenEndpointError', code: f.code === 'invalid_grant' ? 'other' : f.code, status: f.status, caseId };
    case 'unauthorizedOnce':
    case 'forbiddenOnce':
    case 'serverError':
    case 'rateLimited':
    case 'slowResponse':
      return { ...f, caseId };
    default:
      return assertNever(f, 'fault');
  }
}

export async function runScenario<D>(opts: RunScenarioOptions<D>): Promise<ScenarioPlay<D>> {
  const { scenario, mock } = opts;
  const started = Date.now();
  const seeded = await seedScenario(mock.backend, scenario);
  const logins = new Map<string, ResolvedLogin | undefined>();
  const ctx: PlayContext = { scenario, seeded, mock, loginOf: (h) => logins.get(h) };
  const resolve = (credential: string, storedAccountId = true, lastRefreshAgeSeconds = 0, apiKeyCredential?: string): ResolvedLogin => {
    const c = seeded.credentials.get(credential);
    if (c === undefined) throw new TypeError(`runScenario: unknown credential ${credential}`);
    const key = apiKeyCredential === undefined ? undefined : seeded.credentials.get(apiKeyCredential);
    if (apiKeyCredential !== undefined && key?.kind !== 'apiKey') throw new TypeError(`runScenario: ${apiKeyCredential} is not an apiKey credential`);
    return { credential: c, storedAccountId, lastRefresh: new Date(mock.backend.now() - lastRefreshAgeSeconds * 1000).toISOString(), ...(key?.kind === 'apiKey' ? { apiKey: key.apiKey } : {}) };
  };
  const homes = new Map<string, PreparedHome>();
  const prepare = opts.prepareHome ?? defaultPrepareHome;
  for (const h of scenario.homes) {
    const login = h.login.kind === 'credential' ? withAuthMode(resolve(h.login.credential, h.login.storedAccountId ?? true, h.login.lastRefreshAgeSeconds ?? 0, h.login.apiKey), h.login.authMode) : undefined;
    logins.set(h.id, login);
    homes.set(h.id, await prepare(h, join(opts.workDir, `home-${h.id}`), login, ctx));
  }
  const faults: Fault[] = (scenario.mock.faults ?? []).map((f) => toFault(f, mock.caseId));
  if (faults.length > 0) mock.setFaults(faults);
  const actors = new Map(scenario.actors.map((a) => [a.id, a]));
  const records: StepDetail<D>[] = [];
  const snapshots: AuthJsonSnapshot[] = [];
  for (const h of homes.values()) snapshots.push(await snapshotAuthJson(h, 'before the first step', 0, undefined));
  let counter = 0;
  const seqsSince = (journalFrom: number, modelFrom: number): { journalSeqs: number[]; modelRequestSeqs: number[] } => ({
    journalSeqs: mock.entries().slice(journalFrom).map((e) => e.seq),
    modelRequestSeqs: mock.modelRequestSeqs().slice(modelFrom),
  });

  const armedWrites: Array<{ readonly step: number; readonly at: number; fired: boolean }> = [];
  const share = new ShareRecorder(mock, scenario);
  /** Writes auth.json as another process would (a login, the rotated tokens, a logout). */
  const writeAs = async (homeId: string, w: AuthJsonWrite): Promise<void> => {
    const home = homes.get(homeId)!;
    if (w.kind === 'logout') {
      logins.set(home.id, undefined);
      await writeAuthFile(home.authPath, undefined);
      return;
    }
    if (w.kind === 'rotated') await rotateCredential(mock.backend, seeded, w.credential);
    const login = w.kind === 'login' ? resolve(w.credential, w.storedAccountId ?? true, w.lastRefreshAgeSeconds ?? 0) : resolve(w.credential);
    logins.set(home.id, login);
    homes.set(home.id, { ...home, login });
    await writeAuthFile(home.authPath, renderAuthJson(homeCredentials(login), new Date(mock.backend.now())));
  };

  const play = async (step: Step, group: number | undefined): Promise<void> => {
    if (step.kind === 'concurrently') {
      const at = counter + 1;
      await Promise.all(step.steps.map((s) => play(s, at)));
      return;
    }
    const index = ++counter;
    const journalFrom = mock.entries().length;
    const modelFrom = mock.modelRequestSeqs().length;
    const t0 = performance.now();
    const base = { index, kind: step.kind, ...(group === undefined ? {} : { group }) };
    if ('actor' in step) {
      const actor = actors.get(step.actor)!;
      const home = homes.get(actor.home)!;
      // Only a home whose login lives in auth.json is watched (env and host logins leave no file to tear).
      const kind = logins.get(actor.home)?.credential.kind;
      const watcher = opts.watchAuthJson === false || (kind !== 'chatgptTokens' && kind !== 'apiKey') ? undefined : await watchAuthJson(home.authPath);
      let result: Awaited<ReturnType<ActorRunner<D>['perform']>>;
      let watch: AuthJsonObservation | undefined;
      try {
        result = await opts.actors.perform(step, actor, home, ctx);
      } finally {
        watch = await watcher?.stop();
      }
      records.push({ ...base, actor: actor.id, actorKind: actor.kind, ...seqsSince(journalFrom, modelFrom), outcome: result.outcome, ...(result.detail === undefined ? {} : { detail: result.detail }), ...(watch === undefined ? {} : { authJsonWatch: watch }) });
      for (const h of homes.values()) snapshots.push(await snapshotAuthJson(h, `after step ${index} (${step.kind} by ${actor.id})`, index, h.id === actor.home ? actor.id : undefined));
      return;
    }
    switch (step.kind) {
      case 'writeAuthJson':
        await writeAs(step.home, step.write);
        break;
      case 'wait':
        await waitFor(step, () => mock.entries().length);
        break;
      case 'writeAuthJsonAt401': {
        if (mock.onUnauthorized === undefined) throw new TypeError(`runScenario: step ${index} (writeAuthJsonAt401) needs a mock that reports its 401s (ScenarioMock.onUnauthorized)`);
        const seen = new Map<string, number>();
        const armed = { step: index, at: step.at, fired: false };
        armedWrites.push(armed);
        mock.onUnauthorized(async (url) => {
          if (armed.fired || (step.path !== undefined && !url.pathname.endsWith(step.path))) return;
          const n = (seen.get(url.pathname) ?? 0) + 1;
          seen.set(url.pathname, n);
          if (n !== step.at) return;
          armed.fired = true;
          const home = homes.get(step.home)!;
          await share.interrupt(home, `auth.json written (${step.write.kind}) inside the mock's answer to 401 #${step.at} on ${url.pathname} (armed by step ${index})`, () => writeAs(step.home, step.write), url.pathname);
          snapshots.push(await snapshotAuthJson(homes.get(step.home)!, `written at 401 #${step.at} on ${url.pathname} (armed by step ${index})`, index, undefined));
        });
        break;
      }
      case 'advanceClock':
        mock.backend.advance(step.seconds * 1000);
        break;
      case 'setFault':
        faults.push(toFault(step.fault, mock.caseId));
        mock.setFaults(faults);
        break;
      case 'clearFaults':
        faults.length = 0;
        mock.setFaults(faults);
        break;
      case 'revokeAccessToken': {
        const c = seeded.credentials.get(step.credential);
        if (c === undefined || (c.kind !== 'chatgptTokens' && c.kind !== 'hostTokens')) throw new TypeError(`runScenario: ${step.credential} has no access token to revoke`);
        if (step.scope === 'login') revokeLoginAccessTokens(mock.backend, c.accessToken);
        else revokeAccessToken(mock.backend, c.accessToken);
        break;
      }
      case 'snapshotAuthJson':
        snapshots.push(await snapshotAuthJson(homes.get(step.home)!, step.label, index, undefined));
        break;
      default:
        return assertNever(step, 'step');
    }
    records.push({ ...base, ...seqsSince(journalFrom, modelFrom), outcome: { completed: true, description: step.kind, durationMs: Math.round(performance.now() - t0) } });
  };

  try {
    for (const step of scenario.steps) {
      const home = share.homeOf(step);
      await share.around(step, home === undefined ? undefined : homes.get(home), () => play(step, undefined));
    }
  } finally {
    mock.onUnauthorized?.(undefined);
    await opts.actors.dispose();
  }
  for (const a of armedWrites) {
    if (a.fired) continue;
    const r = records.find((x) => x.index === a.step);
    if (r !== undefined) records[records.indexOf(r)] = { ...r, outcome: { completed: false, description: `writeAuthJsonAt401: no request path got ${a.at} 401(s), so nothing was written`, durationMs: 0 } };
  }
  const entries = mock.entries();
  return {
    scenarioId: scenario.id,
    family: scenario.family,
    caseId: mock.caseId,
    entries,
    steps: records.sort((a, b) => a.index - b.index),
    authJson: snapshots,
    unhandled: entries.filter((e) => !e.verdict.handled).map((e) => `${e.method} ${e.url}`),
    durationMs: Date.now() - started,
    seeded,
    homes,
    share: share.recording(mock.backend.issuedLineage(), armedWrites.filter((a) => !a.fired).map((a) => `the write armed by step ${a.step} never fired (no request path got ${a.at} 401s)`)),
  };
}
