import { assertNever } from '../../assert-never.js';
import { scrubSecrets, tail } from '../isolation/scrub-secrets.js';
import type { StepOutcome } from '../scenario/recording.js';
import { type ActorRunner, type ActorStep, type PlayContext, type PreparedHome, type ResolvedLogin } from '../scenario/run-scenario.js';
import { codexEnv, writeCodexHome, type CodexConfigOptions } from '../scenario/codex-home.js';
import { OTHER_WORKSPACE_ID } from '../judges/codex-cli/case-view.js';
import type { ActorSpec, HomeSetup } from '../scenario/scenario.js';
import { defaultPrepareHome, homeCredentials } from '../scenario/scenario-homes.js';
import type { HostTokens } from './app-server-client.js';
import { AppServerSession, type AppServerAnswer } from './app-server-session.js';
import { scanCacheFiles, type CacheFile } from './cache-files.js';
import { DEFAULT_PROMPT, runCodexTurn, spawnCodex, type SpawnedCodex, type TurnOutcome } from './run-codex-turn.js';
import { TuiSession } from './tui-session.js';

/**
 * How the codex binary plays a scenario's actors (the codex-cli adapter): a `codexExec` actor is
 * one `codex exec` process per `exec` step; a `codexAppServer` actor is one `codex app-server`
 * process from `start` to `stop`, driven over JSON-RPC (app-server-session.ts); a `codexTui` actor
 * is the interactive `codex` under a pseudo-terminal from `start` to `stop` (tui-session.ts), its
 * home's directory trusted so no prompt stands before it. Each process gets
 * the home's CODEX_HOME, the env credential of its current login, the run CA and, inside the
 * namespace, a hosts file that maps the production names to the scenario's mock.
 */
export interface CodexActorOptions {
  readonly binaryPath: string;
  readonly version: string;
  readonly timeoutMs: number;
  /** Transport config and env (transportConfig in codex-cli-scenarios.ts). */
  readonly config: CodexConfigOptions;
  readonly env: Readonly<Record<string, string>>;
  readonly caCertPath?: string;
  readonly hostsFile?: string;
}

/** What a codex actor step left besides the journal (scrubbed). */
export interface CodexStepDetail {
  /** exec steps, app-server and TUI `stop`: how the process ended. */
  readonly process?: TurnOutcome;
  /** app-server steps: where the flow stood after the step. */
  readonly appServer?: AppServerAnswer & { readonly hostRefreshRequests: number };
  /** Turns (exec, appServerTurn): the Apps tools cache files in CODEX_HOME after it. */
  readonly cacheFiles?: readonly CacheFile[];
}

const oneLine = (t: string): string => t.replace(/\s+/g, ' ').trim();

export function hostTokensOf(login: ResolvedLogin | undefined): HostTokens | undefined {
  const c = login?.credential;
  if (c === undefined || c.kind !== 'hostTokens') return undefined;
  return { accessToken: c.accessToken, accountId: c.account.id, planType: c.account.plan };
}

export function codexActors(opts: CodexActorOptions, ctx: { readonly secrets: () => readonly string[] }): ActorRunner<CodexStepDetail> & {
  prepareHome(home: HomeSetup, dir: string, login: ResolvedLogin | undefined, play: PlayContext): Promise<PreparedHome>;
} {
  const servers = new Map<string, { readonly proc: SpawnedCodex; readonly session: AppServerSession; readonly started: number }>();
  const tuis = new Map<string, TuiSession>();
  const scrub = (t: string): string => scrubSecrets(t, ctx.secrets());
  const accountsTools = (play: PlayContext): Record<string, readonly string[]> => Object.fromEntries([...play.seeded.accounts.values()].map((a) => [a.id, a.appsTools.map((x) => x.name)]));
  // The actor's own env (validated at load: no harness-owned name, no secret) goes under the harness's.
  const envFor = (home: PreparedHome, play: PlayContext, actor?: ActorSpec): Record<string, string> => ({
    ...(actor?.kind === 'codexExec' || actor?.kind === 'codexAppServer' || actor?.kind === 'codexTui' ? actor.env : undefined),
    ...codexEnv(home.dir, homeCredentials(play.loginOf(home.id)), opts.caCertPath),
    ...opts.env,
  });
  const done = (completed: boolean, description: string, durationMs: number): StepOutcome => ({ completed, description, durationMs });
  const serverOf = (actor: ActorSpec) => {
    const s = servers.get(actor.id);
    if (s === undefined) throw new TypeError(`codex actor ${actor.id}: app-server step before start`);
    return s;
  };
  const stopServer = async (id: string): Promise<TurnOutcome | undefined> => {
    const s = servers.get(id);
    if (s === undefined) return undefined;
    servers.delete(id);
    s.session.close();
    const ended = await s.proc.stop();
    return {
      flow: 'appServer',
      completed: s.session.reached === 'turnCompleted',
      exitCode: ended.code,
      signal: ended.signal,
      timedOut: false,
      durationMs: Math.round(performance.now() - s.started),
      stderrTail: scrub(tail(ended.stderr)),
      appServer: { reached: s.session.reached, hostRefreshRequests: s.session.hostRefreshRequests },
    };
  };
  const appServerStep = async (a: AppServerAnswer, actor: ActorSpec, t0: number, home: PreparedHome, play: PlayContext, turn: boolean) => {
    const s = serverOf(actor);
    const answer = { ...a, ...(a.error === undefined ? {} : { error: scrub(a.error) }), ...(a.agentMessage === undefined ? {} : { agentMessage: scrub(tail(a.agentMessage, 300)) }), hostRefreshRequests: s.session.hostRefreshRequests };
    const cacheFiles = turn ? await scanCacheFiles(home.dir, accountsTools(play)) : undefined;
    return {
      outcome: done(a.ok, a.ok ? `app-server ${a.reached}` : `app-server stopped after ${a.reached}: ${oneLine(answer.error ?? '')}`, Math.round(performance.now() - t0)),
      detail: { appServer: answer, ...(cacheFiles === undefined ? {} : { cacheFiles }) },
    };
  };

  return {
    async prepareHome(home, dir, login, play) {
      const prepared = await defaultPrepareHome(home, dir, login, play);
      const config: CodexConfigOptions = {
        ...opts.config,
        ...(prepared.chatgptBaseUrl === undefined ? {} : { chatgptBaseUrl: prepared.chatgptBaseUrl }),
        ...(home.config?.customModelProviderBaseUrl === undefined ? {} : { customModelProviderBaseUrl: home.config.customModelProviderBaseUrl }),
        ...(home.config?.forcedWorkspace === 'other' ? { forcedChatgptWorkspaceId: OTHER_WORKSPACE_ID } : {}),
        ...(home.config?.appsFeature === true ? { appsFeature: true } : {}),
        ...(home.config?.preferredAuthMethod === undefined ? {} : { preferredAuthMethod: home.config.preferredAuthMethod }),
        ...(play.scenario.actors.some((a) => a.kind === 'codexTui' && a.home === home.id) ? { trustedProjects: [dir], tuiNotices: true } : {}),
      };
      await writeCodexHome(dir, homeCredentials(login), { ...config, ...(opts.caCertPath === undefined ? {} : { caCertPath: opts.caCertPath }) });
      return { ...prepared, ...(config.chatgptBaseUrl === undefined ? {} : { chatgptBaseUrl: config.chatgptBaseUrl }) };
    },

    async perform(step: ActorStep, actor: ActorSpec, home: PreparedHome, play: PlayContext) {
      const t0 = performance.now();
      switch (step.kind) {
        case 'exec': {
          const outcome = await runCodexTurn({
            binaryPath: opts.binaryPath,
            clientVersion: opts.version,
            home: { home: home.dir, files: [], env: envFor(home, play, actor) },
            flow: 'exec',
            ...(step.prompt === undefined ? {} : { prompt: step.prompt }),
            ...(opts.hostsFile === undefined ? {} : { hostsFile: opts.hostsFile }),
            ...(step.stopAfter === 'modelTraffic' ? { stopWhen: () => play.mock.entries().some((x) => /\/(codex\/)?responses\/?$/.test(new URL(x.url).pathname)) } : {}),
            timeoutMs: opts.timeoutMs,
            secrets: ctx.secrets(),
          });
          const cacheFiles = await scanCacheFiles(home.dir, accountsTools(play));
          return { outcome: done(outcome.completed, describeOutcome(outcome), outcome.durationMs), detail: { process: outcome, cacheFiles } };
        }
        case 'start': {
          if (actor.kind === 'codexTui') {
            if (tuis.has(actor.id)) throw new TypeError(`codex actor ${actor.id}: started twice`);
            const tui = new TuiSession({ binaryPath: opts.binaryPath, cwd: home.dir, env: envFor(home, play, actor), secrets: ctx.secrets, ...(opts.hostsFile === undefined ? {} : { hostsFile: opts.hostsFile }) });
            tuis.set(actor.id, tui);
            // Returns at once: the TUI runs until `stop`; a `wait` step gives it time.
            return { outcome: done(true, 'TUI started', Math.round(performance.now() - t0)) };
          }
          if (actor.kind !== 'codexAppServer') throw new TypeError(`codex actor ${actor.id}: start is for app-server and TUI actors`);
          const proc = spawnCodex({ binaryPath: opts.binaryPath, args: ['app-server'], cwd: home.dir, env: envFor(home, play, actor), ...(opts.hostsFile === undefined ? {} : { hostsFile: opts.hostsFile }) });
          const refresh = actor.refreshAnswer === undefined ? undefined : hostTokensOf({ credential: play.seeded.credentials.get(actor.refreshAnswer)!, storedAccountId: true, lastRefresh: '' });
          const session = new AppServerSession(proc.child, { cwd: home.dir, clientVersion: opts.version, timeoutMs: opts.timeoutMs, ...(refresh === undefined ? {} : { refreshAnswer: refresh }) });
          servers.set(actor.id, { proc, session, started: performance.now() });
          return appServerStep(await session.initialize(), actor, t0, home, play, false);
        }
        case 'appServerLogin': {
          const tokens = hostTokensOf({ credential: play.seeded.credentials.get(step.credential)!, storedAccountId: true, lastRefresh: '' });
          if (tokens === undefined) throw new TypeError(`codex actor ${actor.id}: appServerLogin needs a hostTokens credential, ${step.credential} is not one`);
          return appServerStep(await serverOf(actor).session.login(tokens), actor, t0, home, play, false);
        }
        case 'appServerTurn':
          return appServerStep(await serverOf(actor).session.turn(step.prompt ?? DEFAULT_PROMPT), actor, t0, home, play, true);
        case 'appServerRequest':
          return appServerStep(await serverOf(actor).session.request(step.method, step.params), actor, t0, home, play, false);
        case 'tuiPrompt': {
          const tui = tuis.get(actor.id);
          if (tui === undefined) throw new TypeError(`codex actor ${actor.id}: tuiPrompt before start`);
          const running = tui.running;
          await tui.type(step.prompt);
          return { outcome: done(running, running ? 'typed into the TUI' : 'the TUI had already exited', Math.round(performance.now() - t0)) };
        }
        case 'stop': {
          const tui = tuis.get(actor.id);
          if (tui !== undefined) {
            tuis.delete(actor.id);
            const outcome = await tui.stop();
            return { outcome: done(outcome.completed, describeOutcome(outcome), Math.round(performance.now() - t0)), detail: { process: outcome } };
          }
          const outcome = await stopServer(actor.id);
          if (outcome === undefined) return { outcome: done(true, `${actor.id} was not running`, 0) };
          return { outcome: done(true, `app-server stopped (${outcome.exitCode ?? outcome.signal ?? '?'})`, Math.round(performance.now() - t0)), detail: { process: outcome } };
        }
        case 'invoke':
        case 'introspect':
          throw new TypeError(`codex actor ${actor.id}: ${step.kind} is a driver step`);
        default:
          return assertNever(step, 'actor step');
      }
    },

    async dispose() {
      for (const id of [...servers.keys()]) await stopServer(id);
      for (const [id, tui] of [...tuis]) {
        tuis.delete(id);
        await tui.stop();
      }
    },
  };
}

export function describeOutcome(o: TurnOutcome): string {
  if (o.flow === 'tui') {
    const screen = o.tui === undefined ? '' : ` (screen: ${oneLine(o.tui.screenTail).slice(-200)})`;
    const daemons = o.tui === undefined || o.tui.daemonsEnded === 0 ? '' : `, ${o.tui.daemonsEnded} background app-server process(es) it left ended`;
    return o.tui?.runningAtStop === true ? `TUI ran until stopped (${o.durationMs} ms, ${o.tui.terminalReplies} terminal queries answered${daemons})${screen}` : `TUI exited on its own: ${o.exitCode ?? o.signal ?? '?'}${o.stderrTail === '' ? '' : ` (stderr: ${oneLine(o.stderrTail).slice(-200)})`}${screen}`;
  }
  if (o.flow === 'appServer') {
    const stop = o.appServer?.error === undefined ? '' : `: ${oneLine(o.appServer.error)}`;
    return o.completed ? 'app-server turn completed' : `app-server stopped after ${o.appServer?.reached ?? 'none'}${stop}${o.stderrTail === '' ? '' : ` (stderr: ${oneLine(o.stderrTail).slice(-200)})`}`;
  }
  if (o.timedOut) return `timed out after ${o.durationMs} ms`;
  if (o.stoppedEarly === true) return `stopped by the harness after its evidence (first Responses request) at ${o.durationMs} ms`;
  if (o.completed) return 'exit 0';
  return `exit ${o.exitCode ?? o.signal ?? '?'}${o.stderrTail === '' ? '' : `: ${oneLine(o.stderrTail).slice(-300)}`}`;
}
