import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { assertNever } from '../../assert-never.js';
import { driverImplementation } from '../driver/driver-implementation.js';
import type { DriverSession } from '../driver/driver-session.js';
import type { CaseSetup, Outcome } from '../implementation.js';
import type { MockControl } from '../mock-control.js';
import { ecosystemScenarioView } from '../judges/ecosystem/scenario-view.js';
import type { AuthJsonIntrospection, SafetyEvent, ScenarioRecording } from '../judges/ecosystem/scenario-recording.js';
import { renderAuthJson } from '../scenario/codex-home.js';
import { homeCredentials } from '../scenario/scenario-homes.js';
import { runScenario, type ActorRunner, type PreparedHome, type ScenarioMock } from '../scenario/run-scenario.js';
import type { BlackboxScenario } from '../scenario/scenario.js';
import type { Fault } from '../../../mocks/faults.js';
import type { DnsSink } from './dns-sink.js';

/**
 * How a third-party client plays a scenario's `client` actor (the ecosystem adapter): `start`
 * starts a fresh driver process in a sandbox (its own HOME, TMPDIR and working directory) and
 * configures it with the home's files, `invoke` makes one request through the package's public
 * API, `introspect` asks what it left (auth.json, or what it handed back to its caller) when the
 * driver offers it, `stop` ends it. The one runner (scenario/run-scenario.ts) plays the steps;
 * this module then collects what the judge reads besides the journal: DNS names the client tried
 * (dns-sink.ts), files it wrote outside CODEX_HOME, and whether it crashed or hung. Never throws
 * for a misbehaving package: that is evidence too.
 */
export interface PlayClientOptions {
  readonly mock: MockControl;
  readonly dns?: DnsSink;
  /** Sets the case the DNS sink attributes queries to. */
  readonly setDnsCase?: (caseId: string | undefined) => void;
  readonly clientId: string;
  /** Driver command (node + script + --install-dir ...). */
  readonly driverCommand: readonly string[];
  readonly scenario: BlackboxScenario;
  readonly workDir: string;
  /** Environment for the driver process (run CA trust). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /**
   * Write the home's auth.json (mode 0600) before the driver starts and give the driver
   * CODEX_HOME in its environment, instead of letting the driver write it at `configure`: a
   * process wrapped around the driver (the crash-safety probe) then finds the file as the client
   * will and traces no write of the harness's own on it.
   */
  readonly seedHome?: boolean;
}

export interface ClientDetail {
  readonly outcome?: Outcome;
  readonly introspected?: { readonly what: string; readonly value: unknown };
}

async function seedCodexHome(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, { mode: 0o600 });
}

export async function listFiles(dir: string, skip: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let names: import('node:fs').Dirent[];
    try {
      names = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n.name);
      if (p === skip) continue;
      if (n.isDirectory()) await walk(p);
      else out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

export function safetyFromSession(session: DriverSession | undefined, startError: unknown): SafetyEvent[] {
  const out: SafetyEvent[] = [];
  if (startError !== undefined) out.push({ kind: 'driverFailed', detail: startError instanceof Error ? startError.message.slice(0, 300) : String(startError).slice(0, 300) });
  for (const e of session?.events ?? []) {
    if (e.kind !== 'uncaught') continue;
    const detail = `${e.command}: ${e.error.message.replace(/Driver `[^`]*`/g, 'the driver').replace(/ Fix: .*$/s, '').slice(0, 300)}`;
    if (e.error.failure === 'crashed') out.push({ kind: 'crashed', detail });
    else if (e.error.failure === 'timeout') out.push({ kind: 'hung', detail });
    else out.push({ kind: 'driverFailed', detail });
  }
  return out;
}

/** The scenario's faults on a shared port mock: faults only accumulate until the case ends. */
export function portScenarioMock(mock: MockControl, caseId: string, origin: string): ScenarioMock {
  let installed = 0;
  return {
    backend: mock.backend,
    caseId,
    entries: () => mock.journal(caseId),
    modelRequestSeqs: () => mock.backend.modelRequests.list().map((m) => m.seq),
    setFaults: (faults: readonly Fault[]) => {
      if (faults.length < installed) throw new TypeError('ecosystem scenarios cannot clear faults on the shared port mock; end the scenario instead');
      const added = faults.slice(installed);
      installed = faults.length;
      if (added.length > 0) mock.useFaults(...added);
    },
    mockOriginBase: origin,
  };
}

/** The client adapter's runner for one scenario: one driver process per client actor, in its sandbox. */
export interface ClientActors extends ActorRunner<ClientDetail> {
  /** The case setup each home hands the driver at `configure` (filled by the caller's prepareHome). */
  readonly setups: Map<string, CaseSetup>;
  /** The first session started (its events tell crashes and hangs), and the version it reported. */
  readonly first: () => { readonly session: DriverSession | undefined; readonly startError: unknown; readonly clientVersion: string };
}

export function clientActors(opts: { readonly driverCommand: readonly string[]; readonly timeoutMs: number; readonly env: Readonly<Record<string, string>>; readonly dirs: { readonly home: string; readonly tmp: string; readonly cwd: string }; /** CODEX_HOME for the driver's environment (a seeded home, see `seedHome`). */ readonly codexHomeEnv?: string }): ClientActors {
  const dirs = opts.dirs;
  const sessions = new Map<string, DriverSession>();
  let session: DriverSession | undefined;
  let startError: unknown;
  let clientVersion = 'unknown';
  const setups = new Map<string, CaseSetup>();
  const implementation = driverImplementation(opts.driverCommand, {
    timeoutMs: opts.timeoutMs,
    startTimeoutMs: Math.max(opts.timeoutMs, 30_000),
    maxRestarts: 0,
    cwd: dirs.cwd,
    env: {
      ...opts.env,
      ...(opts.codexHomeEnv === undefined ? {} : { CODEX_HOME: opts.codexHomeEnv }),
      HOME: dirs.home,
      TMPDIR: dirs.tmp,
      XDG_CONFIG_HOME: join(dirs.home, '.config'),
      XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
      XDG_CACHE_HOME: join(dirs.home, '.cache'),
      XDG_STATE_HOME: join(dirs.home, '.local', 'state'),
    },
  });
  const failed = (e: unknown): { outcome: { completed: false; description: string; durationMs: number } } => {
    startError ??= e;
    return { outcome: { completed: false, description: `driver error: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`, durationMs: 0 } };
  };
  return {
    setups,
    first: () => ({ session, startError, clientVersion }),
    async perform(step, actor) {
      const t0 = performance.now();
      const took = () => Math.round(performance.now() - t0);
      try {
        switch (step.kind) {
          case 'start': {
            const sess = await implementation.start();
            sessions.set(actor.id, sess);
            session ??= sess as DriverSession;
            clientVersion = (sess as DriverSession).hello.implementation.version;
            await sess.configure(setups.get(actor.home)!);
            return { outcome: { completed: true, description: `started ${clientVersion}`, durationMs: took() } };
          }
          case 'invoke': {
            const sess = sessions.get(actor.id);
            if (sess === undefined) return { outcome: { completed: false, description: 'invoke before start', durationMs: 0 } };
            const outcome = await sess.invoke(step.callsite);
            return { outcome: { completed: outcome.kind === 'sent', description: outcome.kind, durationMs: took() }, detail: { outcome } };
          }
          case 'introspect': {
            const sess = sessions.get(actor.id);
            if (sess === undefined || !sess.hello.capabilities.introspect.includes(step.what)) return { outcome: { completed: false, description: `${step.what} not offered`, durationMs: 0 } };
            const value = await sess.introspect(step.what).catch(() => undefined);
            return { outcome: { completed: value !== undefined, description: `introspect ${step.what}`, durationMs: took() }, detail: { introspected: { what: step.what, value } } };
          }
          case 'stop': {
            await sessions.get(actor.id)?.stop().catch(() => undefined);
            sessions.delete(actor.id);
            return { outcome: { completed: true, description: 'stopped', durationMs: took() } };
          }
          case 'exec':
          case 'appServerLogin':
          case 'appServerTurn':
          case 'appServerRequest':
          case 'tuiPrompt':
            return { outcome: { completed: false, description: `${step.kind} is a codex step, not a client's`, durationMs: 0 } };
          default:
            return assertNever(step, 'actor step');
        }
      } catch (e) {
        return failed(e);
      }
    },
    async dispose() {
      for (const sess of sessions.values()) await sess.stop().catch(() => undefined);
      sessions.clear();
    },
  };
}

export async function playClientScenario(opts: PlayClientOptions): Promise<ScenarioRecording> {
  const s = opts.scenario;
  const view = ecosystemScenarioView(s);
  const caseId = `${opts.clientId}-${s.id}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  const started = Date.now();
  const root = join(opts.workDir, caseId);
  const codexHome = join(root, 'codex-home');
  const dirs = { home: join(root, 'home'), tmp: join(root, 'tmp'), cwd: join(root, 'cwd') };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true, mode: 0o700 })));
  const urls = opts.mock.beginCase(caseId);
  opts.setDnsCase?.(caseId);
  const actors = clientActors({ driverCommand: opts.driverCommand, timeoutMs: opts.timeoutMs, env: opts.env, dirs, ...(opts.seedHome === true ? { codexHomeEnv: codexHome } : {}) });
  const setups = actors.setups;
  try {
    const play = await runScenario<ClientDetail>({
      scenario: s,
      mock: portScenarioMock(opts.mock, caseId, urls.chatgptBackendApi),
      workDir: root,
      actors,
      // The client reports its own auth.json (introspect authJson); no polling beside it.
      watchAuthJson: false,
      // The driver writes the home's files itself at `configure`.
      prepareHome: async (home, _dir, login, ctx): Promise<PreparedHome> => {
        const authText = renderAuthJson(homeCredentials(login), new Date(ctx.mock.backend.now()));
        const config = home.chatgptBaseUrl === undefined ? {} : { chatgptBaseUrl: home.chatgptBaseUrl.kind === 'url' ? home.chatgptBaseUrl.url : urls.chatgptBackendApi };
        const files = authText === undefined ? {} : { 'auth.json': authText };
        if (opts.seedHome === true) await seedCodexHome(codexHome, files);
        setups.set(home.id, { caseId, home: codexHome, files: opts.seedHome === true ? {} : files, env: {}, config });
        return { id: home.id, dir: codexHome, authPath: join(codexHome, 'auth.json'), ...(login === undefined ? {} : { login }), ...(config.chatgptBaseUrl === undefined ? {} : { chatgptBaseUrl: config.chatgptBaseUrl }) };
      },
    });
    const login = play.homes.values().next().value?.login;
    const c = login?.credential;
    if (c === undefined || c.kind !== 'chatgptTokens') throw new TypeError(`ecosystem scenario ${s.id}: the home's login is not a chatgptTokens credential`);
    const details = play.steps.map((x) => x.detail).filter((x): x is ClientDetail => x !== undefined);
    const outcome: Outcome = details.find((d) => d.outcome !== undefined)?.outcome ?? { kind: 'errored', message: 'the driver did not run' };
    const introspected = (what: string): unknown => details.find((d) => d.introspected?.what === what)?.introspected?.value;
    const authJson = introspected('authJson') as AuthJsonIntrospection | undefined;
    const callerStore = introspected('callerStore') as ScenarioRecording['callerStore'];
    const { session, startError, clientVersion } = actors.first();
    const safety = safetyFromSession(session, startError);
    const dnsNames = opts.dns?.namesFor(caseId) ?? [];
    for (const name of dnsNames) safety.push({ kind: 'nonLoopbackAttempt', detail: `looked up ${name} (not a production host: no answer inside the namespace)` });
    const outsideWrites = (await listFiles(root, codexHome)).map((p) => relative(root, p));
    const codexHomeFiles = (await listFiles(codexHome, '')).map((p) => relative(codexHome, p));
    for (const w of outsideWrites) safety.push({ kind: 'wroteOutsideCodexHome', detail: w });
    const body = outcome.kind === 'sent' ? (outcome.body as { text?: unknown } | undefined) : undefined;
    const config = setups.values().next().value?.config ?? {};
    return {
      clientId: opts.clientId,
      clientVersion,
      scenario: view,
      caseId,
      seeded: { accountId: c.account.id, fedramp: view.fedramp, accessToken: c.accessToken, refreshToken: c.refreshToken, idToken: c.idToken, lastRefresh: login!.lastRefresh },
      config: config.chatgptBaseUrl === undefined ? {} : { chatgptBaseUrl: config.chatgptBaseUrl },
      entries: play.entries,
      outcome,
      authJson,
      ...(callerStore === undefined ? {} : { callerStore }),
      dnsNames,
      outsideWrites,
      codexHomeFiles,
      safety,
      durationMs: Date.now() - started,
      ...(typeof body?.text === 'string' ? { text: body.text } : {}),
    };
  } finally {
    opts.setDnsCase?.(undefined);
    opts.mock.endCase();
  }
}
