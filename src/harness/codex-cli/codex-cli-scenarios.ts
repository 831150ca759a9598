import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHttpMock, type HttpMock } from '../../../mocks/http-bridge.js';
import { MockBackend, type MockBackendOptions } from '../../../mocks/state/mock-backend.js';
import { PRODUCTION_HOSTS, renderHostsFile } from '../isolation/production-hosts.js';
import { createRunCertificates } from '../isolation/run-certificates.js';
import { codexCliScenario, STAGING_AUTHAPI_HOST, TENANT_HOST } from '../judges/codex-cli/case-view.js';
import type { RunConfig } from '../judges/codex-cli/judge-run.js';
import type { CodexConfigOptions } from '../scenario/codex-home.js';
import { runScenario, type ScenarioMock } from '../scenario/run-scenario.js';
import type { BlackboxScenario, Requirement } from '../scenario/scenario.js';
import { codexActors, type CodexStepDetail } from './codex-actors.js';
import { compareVersions, releaseFacts } from './release-facts.js';
import type { TurnOutcome } from './run-codex-turn.js';
import { recordingOf, type CaseRecording } from './case-recording.js';

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
