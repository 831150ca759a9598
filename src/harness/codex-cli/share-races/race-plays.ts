import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNever } from '../../../assert-never.js';
import { readAuthJsonState, watchAuthJson } from '../../scenario/auth-json-watch.js';
import { renderAuthJson, writeCodexHome, type WrittenCodexHome } from '../../scenario/codex-home.js';
import { releaseFacts } from '../release-facts.js';
import { runCodexTurn, withHostsFile } from '../run-codex-turn.js';
import { scrubSecrets, tail } from '../../isolation/scrub-secrets.js';
import { AppServerSession } from './app-server-session.js';
import { RaceMock, type LoggedIn } from './race-mock.js';
import { actorOutcome, authJsonEnd, type ActorOutcome, type PhaseObservation, type RaceObservation, type RaceScenarioId } from './race-observation.js';

/**
 * The three shared-credential races on the real binary (issue 17 item 4), each against its own
 * RaceMock inside the namespace. The harness plays "another process" itself where the scenario
 * needs one to act at an exact moment (a rotation written to auth.json, another account's login),
 * with tokens the mock minted; the binaries under test are `codex exec` and `codex app-server`.
 *  - execRace: two `codex exec` start together on one CODEX_HOME whose access token has expired
 *    (last_refresh 9 days old too, so releases that trigger on last_refresh refresh as well).
 *  - appServerRotation: one `codex app-server` stays up; turn 1 on A0; another process redeems
 *    A0 and writes A1; once A0 is inside the release's refresh window (or expired), turn 2; then
 *    another process logs in as account B, A's tokens issued so far get 401 on model requests
 *    (a generation minted later is accepted), turn 3. Each turn runs on a new thread.
 *  - rotateBetween401s: one `codex exec`; its model requests get 401; while the mock answers the
 *    second 401, another process redeems A0 and writes A1 (after the 401 recovery's reload step,
 *    before its refresh step).
 */
export interface PlayOptions {
  readonly binaryPath: string;
  readonly version: string;
  readonly workDir: string;
  readonly timeoutMs: number;
  readonly run: number;
}

const PROMPT = 'say hi';
const DAY_MS = 86_400_000;

function chatgptCredentials(t: LoggedIn, lastRefresh: Date) {
  return { mode: 'chatgpt' as const, idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken, accountId: t.accountId, lastRefresh: lastRefresh.toISOString() };
}

/** Writes auth.json in place, as a pre-0.171 Codex process (or a tool) would after a login or a refresh. */
async function writeAuthJson(home: WrittenCodexHome, t: LoggedIn): Promise<void> {
  await writeFile(join(home.home, 'auth.json'), renderAuthJson(chatgptCredentials(t, new Date()))!, { mode: 0o600 });
}

/** Marks where a phase starts; `end` collects what happened in it. */
async function phase(race: RaceMock, home: WrittenCodexHome, name: string, setup: string) {
  const path = join(home.home, 'auth.json');
  const start = await readAuthJsonState(path);
  const watcher = await watchAuthJson(path);
  const from = { redemptions: race.lineage.redemptions().length, model: race.modelRequests().length, calls: race.modelCalls().length };
  return {
    async end(outcomes: readonly ActorOutcome[]): Promise<PhaseObservation> {
      const watched = await watcher.stop();
      return {
        phase: name,
        setup,
        redemptions: race.lineage.redemptions().slice(from.redemptions),
        modelRequests: race.modelRequests().slice(from.model),
        modelCalls: race.modelCalls().slice(from.calls),
        outcomes,
        authJson: await authJsonEnd(path, start, watched, race.lineage, (id) => race.familyOfAccount(id)),
      };
    },
  };
}

async function execActor(race: RaceMock, o: PlayOptions, home: WrittenCodexHome, actor: string): Promise<ActorOutcome> {
  const r = await runCodexTurn({ binaryPath: o.binaryPath, clientVersion: o.version, home, flow: 'exec', prompt: PROMPT, hostsFile: await race.hostsFor(actor), timeoutMs: o.timeoutMs, secrets: race.secrets });
  return actorOutcome(actor, { completed: r.completed, exitCode: r.exitCode, text: `${r.stderrTail}\n${r.timedOut ? 'timed out' : ''}`, durationMs: r.durationMs }, race.secrets);
}

async function newHome(race: RaceMock, o: PlayOptions, t: LoggedIn, lastRefresh: Date): Promise<WrittenCodexHome> {
  const dir = join(o.workDir, 'home');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return writeCodexHome(dir, chatgptCredentials(t, lastRefresh), { caCertPath: race.caCertPath });
}

async function execRace(race: RaceMock, o: PlayOptions): Promise<{ phases: PhaseObservation[]; problems: string[] }> {
  const a0 = await race.login('A', { expired: true });
  const home = await newHome(race, o, a0, new Date(Date.now() - 9 * DAY_MS));
  await Promise.all([race.hostsFor('exec1'), race.hostsFor('exec2')]);
  const p = await phase(race, home, 'race', 'auth.json holds A0 with an expired access token; two `codex exec` start together');
  const outcomes = await Promise.all([execActor(race, o, home, 'exec1'), execActor(race, o, home, 'exec2')]);
  return { phases: [await p.end(outcomes)], problems: [] };
}

async function rotateBetween401s(race: RaceMock, o: PlayOptions): Promise<{ phases: PhaseObservation[]; problems: string[] }> {
  const a0 = await race.login('A');
  const home = await newHome(race, o, a0, new Date());
  let rotated: LoggedIn | undefined;
  race.refuseModelRequests(
    (label) => label === 'A0',
    async (n) => {
      if (n !== 2) return;
      rotated = await race.redeemAsOther(a0.refreshToken);
      if (rotated !== undefined) await writeAuthJson(home, rotated);
    },
  );
  const p = await phase(race, home, 'race', 'A0 fresh; model requests with A0 get 401; at the second 401 another process redeems A0 and writes A1');
  const outcome = await execActor(race, o, home, 'exec1');
  return { phases: [await p.end([outcome])], problems: rotated === undefined ? ['no second 401 was answered, so nothing was rotated'] : [] };
}

async function appServerRotation(race: RaceMock, o: PlayOptions): Promise<{ phases: PhaseObservation[]; problems: string[] }> {
  const windowS = releaseFacts(o.version).refreshWindowSeconds;
  const a0 = await race.login('A', { ttlSeconds: windowS + 25 });
  const home = await newHome(race, o, a0, new Date());
  const hosts = await race.hostsFor('appServer');
  const launch = withHostsFile(hosts, o.binaryPath, ['app-server']);
  const child = spawn(launch.command, launch.args, { cwd: home.home, env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...home.env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true }) as ChildProcessWithoutNullStreams;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-32_768)));
  const session = new AppServerSession(child);
  const phases: PhaseObservation[] = [];
  const problems: string[] = [];
  const scrub = (t: string): string => scrubSecrets(t, race.secrets);
  /** A turn on a new thread (a thread keeps its Responses WebSocket open, which would carry the next turn without a new request to judge). */
  const turn = async (actor: string): Promise<ActorOutcome> => {
    const started = performance.now();
    const errorsBefore = session.errors.length;
    const thread = await session.startThread(home.home, o.timeoutMs);
    const r = thread.threadId === undefined ? { completed: false, error: `thread/start: ${thread.error ?? 'no thread id'}` } : await session.turn(thread.threadId, PROMPT, o.timeoutMs);
    const text = [r.error ?? '', ...session.errors.slice(errorsBefore)].join('\n');
    return actorOutcome(actor, { completed: r.completed, text, durationMs: Math.round(performance.now() - started) }, race.secrets);
  };
  try {
    const init = await session.initialize(o.version, o.timeoutMs);
    if (init !== undefined) return { phases, problems: [`initialize: ${scrub(init)}; stderr: ${scrub(tail(stderr, 300))}`] };
    let p = await phase(race, home, 'turn1', 'auth.json holds A0 (fresh); app-server started; turn 1');
    const first = await turn('appServer');
    phases.push(await p.end([first]));
    if (!first.completed) return { phases, problems: [`turn 1 did not complete: ${first.error ?? ''}; stderr: ${scrub(tail(stderr, 300))}`] };

    p = await phase(race, home, 'sameAccountRotated', `another process redeemed A0 and wrote A1 in place; turn 2 once A0 is ${windowS > 0 ? `inside the ${windowS} s refresh window` : 'expired'}`);
    const a1 = await race.redeemAsOther(a0.refreshToken);
    if (a1 === undefined) return { phases, problems: ['the harness could not redeem A0 as another process'] };
    await writeAuthJson(home, a1);
    const wait = a0.expiresAt - windowS * 1000 + 2000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    phases.push(await p.end([await turn('appServer')]));

    const b0 = await race.login('B');
    p = await phase(race, home, 'otherAccount', 'another process logged in as account B (auth.json = B0); model requests with the A tokens issued so far get 401; turn 3');
    await writeAuthJson(home, b0);
    // A's tokens issued so far stop working (as if expired); a generation minted after this point would be accepted.
    const stale = new Set(race.lineage.labels().filter((l) => l.startsWith('A')));
    race.refuseModelRequests((label) => stale.has(label));
    phases.push(await p.end([await turn('appServer')]));
    return { phases, problems };
  } finally {
    session.close();
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

export async function playRace(scenario: RaceScenarioId, o: PlayOptions): Promise<RaceObservation> {
  const started = performance.now();
  await mkdir(o.workDir, { recursive: true, mode: 0o700 });
  const race = await RaceMock.start(o.workDir);
  try {
    const played =
      scenario === 'execRace' ? await execRace(race, o)
      : scenario === 'rotateBetween401s' ? await rotateBetween401s(race, o)
      : scenario === 'appServerRotation' ? await appServerRotation(race, o)
      : assertNever(scenario, 'race scenario');
    return { scenario, release: o.version, run: o.run, durationMs: Math.round(performance.now() - started), ...played };
  } finally {
    await race.close();
  }
}
