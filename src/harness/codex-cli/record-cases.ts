import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHttpMock, type HttpMock } from '../../../mocks/http-bridge.js';
import type { ModelRequest } from '../../../mocks/state/model-request-log.js';
import { MockBackend, type MockBackendOptions } from '../../../mocks/state/mock-backend.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { watchAuthJson, type AuthJsonObservation } from './auth-json-watch.js';
import { scanCacheFiles, type CacheFile } from './cache-files.js';
import { codexCliCase, OTHER_WORKSPACE_ID, STAGING_AUTHAPI_HOST, TENANT_HOST, type CodexCliCase, type CodexCliCaseId } from './codex-cli-cases.js';
import { renderAuthJson, writeCodexHome, type CodexConfigOptions, type WrittenCodexHome } from './codex-home.js';
import type { RecordedRun, RunConfig } from './judge-codex-cli-run.js';
import { PRODUCTION_HOSTS, renderHostsFile } from './production-hosts.js';
import { runCodexTurn, type TurnOutcome } from './run-codex-turn.js';
import { createRunCertificates } from './run-certificates.js';
import { seedCase, type SeededCase } from './seed-case.js';
import { compareVersions, releaseFacts } from './release-facts.js';
import { wireCase, type WireCase } from '../wire-record.js';

/**
 * Runs the selected cases and keeps every journal in memory. Each case gets its own mock (state,
 * journal, faults), so cases run concurrently without mixing their traffic. Two transports:
 *  - `netns`: this process already runs inside the run's network namespace (assertIsolated
 *    passed). Case i's mock serves HTTPS on 127.0.0.(10+i):443 with the run's CA, and the binary
 *    runs in a nested mount namespace whose /etc/hosts maps the production host names (plus the
 *    case's own, e.g. a tenant host) to that address (docs/real-cli.md).
 *  - `loopbackHttp` (--allow-network only): nothing is isolated; each mock listens on a free
 *    loopback port over plain http and every base URL the binary reads from config or env points
 *    there, never at a production host. Cases that need a host name mapped are not run.
 */
export type RecordTransport = 'netns' | 'loopbackHttp';

export interface RecordOptions {
  readonly binaryPath: string;
  readonly version: string;
  readonly caseIds: readonly CodexCliCaseId[];
  readonly workDir: string;
  readonly transport: RecordTransport;
  readonly timeoutMs: number;
  /** Cases run at once (default 4, env CODEX_CLI_CONCURRENCY). */
  readonly concurrency?: number;
  /** Called after each case (progress). */
  readonly onCase?: (caseId: string, outcome: TurnOutcome, requests: number) => void;
}

/** What the binary left behind besides the journal. */
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

const oneLine = (t: string): string => t.replace(/\s+/g, ' ').trim();

export function describeOutcome(o: TurnOutcome): string {
  if (o.flow === 'appServer') {
    const stop = o.appServer?.error === undefined ? '' : `: ${oneLine(o.appServer.error)}`;
    return o.completed ? 'app-server turn completed' : `app-server stopped after ${o.appServer?.reached ?? 'none'}${stop}${o.stderrTail === '' ? '' : ` (stderr: ${oneLine(o.stderrTail).slice(-200)})`}`;
  }
  if (o.timedOut) return `timed out after ${o.durationMs} ms`;
  if (o.stoppedEarly === true) return `stopped by the harness after its evidence (first Responses request) at ${o.durationMs} ms`;
  if (o.completed) return 'exit 0';
  return `exit ${o.exitCode ?? o.signal ?? '?'}${o.stderrTail === '' ? '' : `: ${oneLine(o.stderrTail).slice(-300)}`}`;
}

/** Loopback address of case slot i inside the namespace. */
export function slotAddress(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot > 200) throw new TypeError(`slotAddress: bad slot ${slot}`);
  return `127.0.0.${10 + slot}`;
}

/** Host names every run certificate carries: production plus the cases' own names. */
export const CERTIFICATE_HOSTS: readonly string[] = [...PRODUCTION_HOSTS, TENANT_HOST, STAGING_AUTHAPI_HOST];

/**
 * Why a case cannot be set up for a release (undefined: it can). Agent identity before 0.129
 * reads only an auth.json record (PR #18785; the JWT env var arrived with PR #18904, renamed
 * CODEX_ACCESS_TOKEN in 0.129.0), so the JWT cases do not apply there.
 */
export function caseApplies(c: CodexCliCase, version: string): string | undefined {
  if (c.mode === 'agentIdentity' && !releaseFacts(version).agentIdentityJwtEnv) {
    return `agent identity in ${version} is read only from an auth.json record (PR #18785); CODEX_ACCESS_TOKEN JWTs arrived in 0.129.0 (PR #18904)`;
  }
  if (c.personalAccessToken === true && compareVersions(version, '0.138.0') < 0) {
    return `personal access tokens arrived in 0.138.0 (PR #25731; whoami literal first in 0.138.0); ${version} treats CODEX_ACCESS_TOKEN differently`;
  }
  return undefined;
}

/** True when the case needs a host name mapped (it cannot run on the unisolated transport). */
export function needsHostMapping(c: CodexCliCase): boolean {
  return (c.extraHosts?.length ?? 0) > 0 || c.chatgptBaseUrl !== undefined;
}

interface RunShared {
  readonly opts: RecordOptions;
  /** One pair of signing key rings for every case's mock (RSA key generation is the mock's costliest start-up step). */
  readonly keyRings: NonNullable<MockBackendOptions['keyRings']>;
  readonly tls?: { readonly key: string; readonly cert: string; readonly caCertPath: string };
}

function defaultConcurrency(): number {
  const n = Number(process.env['CODEX_CLI_CONCURRENCY'] ?? '4');
  return Number.isInteger(n) && n >= 1 && n <= 32 ? n : 4;
}

async function recordOne(shared: RunShared, c: CodexCliCase, slot: number): Promise<CaseRecording> {
  const { opts } = shared;
  const caseDir = join(opts.workDir, c.id);
  await mkdir(caseDir, { recursive: true, mode: 0o700 });
  const netns = opts.transport === 'netns';
  const address = netns ? slotAddress(slot) : '127.0.0.1';
  const mock: HttpMock = netns && shared.tls !== undefined
    ? await startHttpMock({ host: address, port: 443, tls: { key: shared.tls.key, cert: shared.tls.cert }, keyRings: shared.keyRings })
    : await startHttpMock({ host: '127.0.0.1', port: 0, keyRings: shared.keyRings });
  try {
    mock.ctx.currentCaseId = c.id;
    const { config, env } = transportConfig(opts.transport, netns ? undefined : mock.origin);
    const seeded: SeededCase = await seedCase(mock.backend, c);
    if (c.refreshRefusal !== undefined) {
      mock.useFaults({ kind: 'tokenEndpointError', code: c.refreshRefusal.code === 'invalid_grant' ? 'other' : c.refreshRefusal.code, status: c.refreshRefusal.status });
    }
    const caseConfig: CodexConfigOptions = {
      ...config,
      ...(netns && c.chatgptBaseUrl !== undefined ? { chatgptBaseUrl: c.chatgptBaseUrl } : {}),
      ...(c.scoping?.modelProviderBaseUrl !== undefined ? { customModelProviderBaseUrl: c.scoping.modelProviderBaseUrl } : {}),
      ...(c.scoping?.forcedOtherWorkspace === true ? { forcedChatgptWorkspaceId: OTHER_WORKSPACE_ID } : {}),
    };
    const home: WrittenCodexHome = await writeCodexHome(join(caseDir, 'home'), seeded.credentials, { ...caseConfig, ...(shared.tls === undefined ? {} : { caCertPath: shared.tls.caCertPath }) });
    let hostsFile: string | undefined;
    if (netns) {
      hostsFile = join(caseDir, 'hosts');
      await writeFile(hostsFile, renderHostsFile([...PRODUCTION_HOSTS, ...(c.extraHosts ?? [])], address));
    }
    const authPath = join(home.home, 'auth.json');
    const turns: Array<CaseObservations['turns'][number]> = [];
    const accounts: Record<string, readonly string[]> = {};
    for (const x of [seeded.expectation, seeded.second?.expectation]) if (x?.accountId !== undefined) accounts[x.accountId] = x.appsTools ?? [];
    const mark = () => ({ model: mock.backend.modelRequests.list().length, journal: mock.journal.size });
    const turnOf = async (expectation: SeededCase['expectation'], from: ReturnType<typeof mark>, to: ReturnType<typeof mark>, completed: boolean): Promise<CaseObservations['turns'][number]> => ({
      cacheFiles: await scanCacheFiles(home.home, accounts),
      ...(expectation.turnBearer === undefined ? {} : { bearer: expectation.turnBearer }),
      ...(expectation.accountId === undefined ? {} : { accountId: expectation.accountId }),
      ...(expectation.appsCacheKey === undefined ? {} : { appsCacheKey: expectation.appsCacheKey }),
      appsTools: expectation.appsTools ?? [],
      modelRequestSeqs: mock.backend.modelRequests.list().slice(from.model, to.model).map((m) => m.seq),
      journalSeqs: mock.journal.list().slice(from.journal, to.journal).map((e) => e.seq),
      completed,
    });
    const runTurn = async (expectation: SeededCase['expectation'], live?: { readonly switchTo: NonNullable<SeededCase['second']> }): Promise<TurnOutcome> => {
      const before = mark();
      let switchedAt: ReturnType<typeof mark> | undefined;
      const outcome = await runCodexTurn({
        binaryPath: opts.binaryPath,
        clientVersion: opts.version,
        home: { ...home, env: { ...home.env, ...env } },
        flow: c.flow,
        ...(seeded.hostTokens === undefined ? {} : { hostTokens: seeded.hostTokens }),
        ...(seeded.refreshHostTokens === undefined ? {} : { refreshTokens: seeded.refreshHostTokens }),
        ...(live?.switchTo.hostTokens === undefined ? {} : { switchTo: live.switchTo.hostTokens, onSwitch: () => (switchedAt = mark()) }),
        ...(hostsFile === undefined ? {} : { hostsFile }),
        ...(c.stopAfter === 'modelTraffic' ? { stopWhen: () => mock.journal.list().some((x) => /\/(codex\/)?responses\/?$/.test(new URL(x.url).pathname)) } : {}),
        timeoutMs: opts.timeoutMs,
        secrets: seeded.secrets,
      });
      const after = mark();
      if (live !== undefined && switchedAt !== undefined) {
        turns.push(await turnOf(expectation, before, switchedAt, true), await turnOf(live.switchTo.expectation, switchedAt, after, outcome.completed));
      } else {
        turns.push(await turnOf(expectation, before, after, outcome.completed));
      }
      return outcome;
    };
    const watcher = c.mode === 'chatgpt' && (c.tokens !== undefined || c.refreshRefusal !== undefined) ? await watchAuthJson(authPath) : undefined;
    let outcome = await runTurn(seeded.expectation, c.flow === 'appServer' && seeded.second !== undefined ? { switchTo: seeded.second } : undefined);
    const authJson = await watcher?.stop();
    if (seeded.second !== undefined && c.flow === 'exec') {
      // Account B takes over the same CODEX_HOME (config and the Apps tools disk cache kept).
      const text = renderAuthJson(seeded.second.credentials);
      if (text !== undefined) await writeFile(authPath, text, { mode: 0o600 });
      const second = await runTurn(seeded.second.expectation);
      outcome = second.completed ? second : outcome.completed ? second : outcome;
    }
    const entries: readonly ObservedRequest[] = mock.journal.list(c.id);
    const runConfig: RunConfig = {
      ...(caseConfig.chatgptBaseUrl === undefined ? {} : { chatgptBaseUrl: caseConfig.chatgptBaseUrl }),
      ...(caseConfig.openaiBaseUrl === undefined ? {} : { openaiBaseUrl: caseConfig.openaiBaseUrl }),
      env,
    };
    const observations: CaseObservations = {
      modelRequests: mock.backend.modelRequests.list(),
      turns,
      ...(authJson === undefined ? {} : { authJson }),
      ...(outcome.appServer?.hostRefreshRequests === undefined ? {} : { hostRefreshRequests: outcome.appServer.hostRefreshRequests }),
    };
    const recording: CaseRecording = {
      run: { release: opts.version, expectation: seeded.expectation, config: runConfig, entries, outcome: { completed: outcome.completed, description: describeOutcome(outcome) }, observations },
      outcome,
      observations,
      unhandled: entries.filter((e) => !e.verdict.handled).map((e) => `${e.method} ${e.url}`),
    };
    opts.onCase?.(c.id, outcome, entries.length);
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
  const cases = opts.caseIds.map(codexCliCase).filter((c) => (opts.transport === 'netns' || !needsHostMapping(c)) && caseApplies(c, opts.version) === undefined);
  const results: Array<CaseRecording | undefined> = new Array(cases.length).fill(undefined);
  let next = 0;
  const worker = async (slot: number): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= cases.length) return;
      results[i] = await recordOne(shared, cases[i]!, slot);
    }
  };
  const n = Math.min(opts.concurrency ?? defaultConcurrency(), cases.length);
  await Promise.all(Array.from({ length: n }, (_, slot) => worker(slot)));
  return results.filter((r): r is CaseRecording => r !== undefined);
}

/** The wire record of one recorded case (secrets as token classes only), for `matrix --diff`. */
export function recordingWire(r: CaseRecording): WireCase {
  const accountId = r.run.expectation.accountId;
  return wireCase(r.run.expectation.caseId, r.run.outcome.description, r.run.entries, accountId === undefined ? {} : { accountId });
}
