import { wireCase, type WireCase } from '../wire-record.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHttpMock, type HttpMock } from '../../../mocks/http-bridge.js';
import type { ModelRequest } from '../../../mocks/state/model-request-log.js';
import { MockBackend, type MockBackendOptions } from '../../../mocks/state/mock-backend.js';
import { PRODUCTION_HOSTS, renderHostsFile } from '../isolation/production-hosts.js';
import { createRunCertificates } from '../isolation/run-certificates.js';
import { codexCliCaseView, codexCliScenario, expectationFor, homeLoginCredential, STAGING_AUTHAPI_HOST, TENANT_HOST, type RunExpectation } from '../judges/codex-cli/case-view.js';
import type { RecordedRun, RunConfig } from '../judges/codex-cli/judge-run.js';
import type { AuthJsonObservation } from '../scenario/auth-json-watch.js';
import type { CodexConfigOptions } from '../scenario/codex-home.js';
import { runScenario, type ScenarioMock, type ScenarioPlay } from '../scenario/run-scenario.js';
import type { BlackboxScenario, Requirement } from '../scenario/scenario.js';
import type { SeededCredential } from '../scenario/seed-scenario.js';
import type { CacheFile } from './cache-files.js';
import { codexActors, describeOutcome, type CodexStepDetail } from './codex-actors.js';
import { compareVersions, releaseFacts } from './release-facts.js';
import type { TurnOutcome } from './run-codex-turn.js';

/**
 * The codex-cli adapter's side of a run: plays the selected scenarios (scenarios/blackbox/codex-cli/)
 * with the one runner (scenario/run-scenario.ts) and the codex actors (codex-actors.ts), each
 * scenario against its own mock (state, journal, faults), several at once, and keeps every journal
 * in memory. Two transports:
 *  - `netns`: this process already runs inside the run's network namespace (assertIsolated
 *    passed). Scenario slot i's mock serves HTTPS on 127.0.0.(10+i):443 with the run's CA, and the
 *    binary runs in a nested mount namespace whose /etc/hosts maps the production host names (plus
 *    the scenario's own) to that address (docs/real-cli.md).
 *  - `loopbackHttp` (--allow-network only): nothing is isolated; each mock listens on a free
 *    loopback port over plain http and every base URL the binary reads from config or env points
 *    there, never at a production host. Scenarios that need a host name mapped are not run.
 */
export type RecordTransport = 'netns' | 'loopbackHttp';

export interface RecordOptions {
  readonly binaryPath: string;
  readonly version: string;
  readonly caseIds: readonly string[];
  /** More scenarios to play (e.g. shared-credential files), after the cases. */
  readonly scenarios?: readonly BlackboxScenario[];
  readonly workDir: string;
  readonly transport: RecordTransport;
  readonly timeoutMs: number;
  /** Cases run at once (default 4, env CODEX_CLI_CONCURRENCY). */
  readonly concurrency?: number;
  /** Called after each case (progress). */
  readonly onCase?: (caseId: string, outcome: TurnOutcome, requests: number) => void;
}

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

/** Config and env the binary gets per transport (pure). */
export function transportConfig(transport: RecordTransport, mockOrigin?: string): { readonly config: CodexConfigOptions; readonly env: Readonly<Record<string, string>> } {
  if (transport === 'netns') return { config: {}, env: {} };
  if (mockOrigin === undefined || !/^http:\/\/127\.0\.0\.1:\d+$/.test(mockOrigin)) {
    throw new TypeError(`transportConfig: loopbackHttp needs the mock's http://127.0.0.1:<port> origin, got ${String(mockOrigin)}`);
  }
  return {
    config: { chatgptBaseUrl: `${mockOrigin}/backend-api/`, openaiBaseUrl: `${mockOrigin}/v1` },
    env: {
      CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: `${mockOrigin}/api/accounts`,
      CODEX_AGENT_IDENTITY_JWKS_BASE_URL: `${mockOrigin}/backend-api`,
      CODEX_AUTHAPI_BASE_URL: `${mockOrigin}/api/accounts`,
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${mockOrigin}/oauth/token`,
    },
  };
}

/** Loopback address of case slot i inside the namespace. */
export function slotAddress(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot > 200) throw new TypeError(`slotAddress: bad slot ${slot}`);
  return `127.0.0.${10 + slot}`;
}

/** Host names every run certificate carries: production plus the scenarios' own names. */
export const CERTIFICATE_HOSTS: readonly string[] = [...new Set<string>([...PRODUCTION_HOSTS, TENANT_HOST, STAGING_AUTHAPI_HOST])];

function unmet(r: Requirement, version: string): boolean {
  switch (r.kind) {
    case 'minRelease':
      return compareVersions(version, r.version) < 0;
    case 'releaseFact':
      return !releaseFacts(version)[r.fact];
    case 'clientCapability':
    case 'hostMapping':
      return false;
  }
}

/** Why a scenario cannot run on a release (undefined: it can), from its `requires` and its actors (release-facts.ts). */
export function caseApplies(s: BlackboxScenario, version: string): string | undefined {
  const r = (s.requires ?? []).find((x) => unmet(x, version));
  if (r !== undefined) return `${r.reason} (${version})`;
  if (s.actors.some((a) => a.kind === 'codexAppServer') && !releaseFacts(version).appServerSubcommand) {
    return `no \`codex app-server\` subcommand before 0.43.0 (codex-rs/cli/src/main.rs@rust-v0.43.0 \`Subcommand::AppServer\`) (${version})`;
  }
  return undefined;
}

/** True when the scenario needs host names mapped (it cannot run on the unisolated transport). */
export function needsHostMapping(s: BlackboxScenario): boolean {
  return (s.requires ?? []).some((r) => r.kind === 'hostMapping');
}

function defaultConcurrency(): number {
  const n = Number(process.env['CODEX_CLI_CONCURRENCY'] ?? '4');
  return Number.isInteger(n) && n >= 1 && n <= 32 ? n : 4;
}

interface RunShared {
  readonly opts: RecordOptions;
  /** One pair of signing key rings for every case's mock (RSA key generation is the mock's costliest start-up step). */
  readonly keyRings: NonNullable<MockBackendOptions['keyRings']>;
  readonly tls?: { readonly key: string; readonly cert: string; readonly caCertPath: string };
}

/** The mock of one scenario, as the runner sees it. */
function scenarioMock(mock: HttpMock, caseId: string): ScenarioMock {
  return {
    backend: mock.backend,
    caseId,
    entries: () => mock.journal.list(caseId),
    modelRequestSeqs: () => mock.backend.modelRequests.list().map((m) => m.seq),
    setFaults: (faults) => {
      mock.resetHandlers();
      if (faults.length > 0) mock.useFaults(...faults);
    },
    onUnauthorized: (hook) => {
      mock.ctx.onUnauthorized = hook;
    },
  };
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

async function recordOne(shared: RunShared, s: BlackboxScenario, slot: number): Promise<CaseRecording> {
  const { opts } = shared;
  const caseDir = join(opts.workDir, s.id);
  await mkdir(caseDir, { recursive: true, mode: 0o700 });
  const netns = opts.transport === 'netns';
  const address = netns ? slotAddress(slot) : '127.0.0.1';
  const mock: HttpMock = netns && shared.tls !== undefined
    ? await startHttpMock({ host: address, port: 443, tls: { key: shared.tls.key, cert: shared.tls.cert }, keyRings: shared.keyRings })
    : await startHttpMock({ host: '127.0.0.1', port: 0, keyRings: shared.keyRings });
  try {
    mock.ctx.currentCaseId = s.id;
    const { config, env } = transportConfig(opts.transport, netns ? undefined : mock.origin);
    let hostsFile: string | undefined;
    if (netns) {
      hostsFile = join(caseDir, 'hosts');
      await writeFile(hostsFile, renderHostsFile([...PRODUCTION_HOSTS, ...(s.extraHosts ?? [])], address));
    }
    let secrets: () => readonly string[] = () => [];
    const actors = codexActors(
      { binaryPath: opts.binaryPath, version: opts.version, timeoutMs: opts.timeoutMs, config, env, ...(shared.tls === undefined ? {} : { caCertPath: shared.tls.caCertPath }), ...(hostsFile === undefined ? {} : { hostsFile }) },
      { secrets: () => secrets() },
    );
    const sm = scenarioMock(mock, s.id);
    const play = await runScenario<CodexStepDetail>({
      scenario: s,
      mock: sm,
      workDir: caseDir,
      actors,
      prepareHome: async (home, dir, login, ctx) => {
        secrets = ctx.seeded.secrets;
        return actors.prepareHome(home, dir, login, ctx);
      },
    });
    const configured = [...play.homes.values()][0]?.chatgptBaseUrl;
    const runConfig: RunConfig = {
      ...(configured === undefined ? {} : { chatgptBaseUrl: configured }),
      ...(config.openaiBaseUrl === undefined ? {} : { openaiBaseUrl: config.openaiBaseUrl }),
      env,
    };
    const recording = recordingOf(s, play, mock.backend.modelRequests.list(), opts.version, runConfig);
    opts.onCase?.(s.id, recording.outcome, play.entries.length);
    return recording;
  } finally {
    mock.ctx.currentCaseId = undefined;
    await mock.close();
  }
}

export async function recordCases(opts: RecordOptions): Promise<CaseRecording[]> {
  await mkdir(opts.workDir, { recursive: true, mode: 0o700 });
  let tls: RunShared['tls'];
  if (opts.transport === 'netns') {
    const certs = await createRunCertificates(join(opts.workDir, 'tls'), CERTIFICATE_HOSTS);
    const [key, cert] = await Promise.all([readFile(certs.leafKeyPath, 'utf8'), readFile(certs.leafCertPath, 'utf8')]);
    tls = { key, cert, caCertPath: certs.caCertPath };
  }
  const first = await MockBackend.create({});
  const shared: RunShared = { opts, keyRings: { tokenKeys: first.tokenKeys, agentIdentityKeys: first.agentIdentityKeys }, ...(tls === undefined ? {} : { tls }) };
  const scenarios = [...opts.caseIds.map(codexCliScenario), ...(opts.scenarios ?? [])].filter((s) => (opts.transport === 'netns' || !needsHostMapping(s)) && caseApplies(s, opts.version) === undefined);
  const results: Array<CaseRecording | undefined> = new Array(scenarios.length).fill(undefined);
  let next = 0;
  const worker = async (slot: number): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= scenarios.length) return;
      results[i] = await recordOne(shared, scenarios[i]!, slot);
    }
  };
  const n = Math.min(opts.concurrency ?? defaultConcurrency(), scenarios.length);
  await Promise.all(Array.from({ length: n }, (_, slot) => worker(slot)));
  return results.filter((r): r is CaseRecording => r !== undefined);
}

/** The wire record of one recorded case (secrets as token classes only), for `matrix --diff`. */
export function recordingWire(r: CaseRecording): WireCase {
  const accountId = r.run.expectation.accountId;
  return wireCase(r.run.expectation.caseId, r.run.outcome.description, r.run.entries, accountId === undefined ? {} : { accountId });
}
