import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleResult } from '../../rules/result.js';
import { portMockControl } from '../port-mock-control.js';
import { prepareProductionImpersonation, type LoopbackCheck } from '../isolation/production-impersonation.js';
import type { EcosystemClient } from './clients.js';
import { startDnsSink } from './dns-sink.js';
import { driverCommand, type InstalledClient } from './ecosystem-install.js';
import { judgeScenario } from '../judges/ecosystem/judge-scenario.js';
import type { ScenarioRecording } from '../judges/ecosystem/scenario-recording.js';
import { ecosystemBlackboxScenarios, type ScenarioId } from '../judges/ecosystem/scenario-view.js';
import type { BlackboxScenario } from '../scenario/scenario.js';
import { playClientScenario } from './client-actors.js';
import type { DnsSink } from './dns-sink.js';
import type { MockControl } from '../mock-control.js';
import type { CoexistenceResult } from '../judges/coexistence/coexistence-result.js';

/**
 * Runs the ecosystem table inside the loopback-only namespace: the mock on a loopback port and,
 * over TLS with a run CA, on 127.0.0.1:443 for the production hosts; a DNS sink for names that
 * are not mapped; then every client × scenario, one fresh driver process each, judged as it
 * goes. A client that crashes, hangs or misbehaves is recorded and the run goes on.
 */
export interface EcosystemRunOptions {
  readonly clients: readonly InstalledClient[];
  readonly scenarios?: readonly ScenarioId[];
  /** With `scenarios` given: whether the coexistence scenarios were selected too (`--scenarios coexistence`). */
  readonly coexistenceSelected?: boolean;
  readonly repoRoot: string;
  /** Longest wait for one driver answer (a hung package is cut off after it). */
  readonly timeoutMs: number;
  readonly seed: number;
  readonly onScenario?: (r: ScenarioRecording, results: readonly RuleResult[]) => void;
  /** For tests: the loopback check of production-host impersonation. */
  readonly loopbackCheck?: LoopbackCheck;
  /**
   * Played after each client's scenarios, on the same mock, namespace and DNS sink: the
   * coexistence scenarios (the client and the codex binary on one CODEX_HOME,
   * src/harness/coexistence/). Absent: none.
   */
  readonly afterClient?: (shared: SharedRun, installed: InstalledClient) => Promise<readonly CoexistenceResult[]>;
}

/** What the run shares with plays that follow a client's scenarios (`afterClient`). */
export interface SharedRun {
  readonly mock: MockControl;
  readonly dns?: DnsSink;
  readonly setDnsCase: (caseId: string | undefined) => void;
  /** The run CA's trust environment and certificate. */
  readonly env: Readonly<Record<string, string>>;
  readonly caCertPath: string;
  readonly workDir: string;
  readonly timeoutMs: number;
  readonly driverCommand: readonly string[];
}

export interface ScenarioRun {
  readonly recording: ScenarioRecording;
  readonly results: readonly RuleResult[];
}

export interface ClientRun {
  readonly client: EcosystemClient;
  /** Version the driver reported (the installed package's). */
  readonly version: string;
  readonly scenarios: readonly ScenarioRun[];
  /** Scenarios not run for this client, with the reason. */
  readonly notRun: readonly { readonly scenario: ScenarioId; readonly reason: string }[];
  /** The client beside the codex binary on one CODEX_HOME (absent: not played in this run). */
  readonly coexistence?: readonly CoexistenceResult[];
  readonly durationMs: number;
}

export interface EcosystemRun {
  readonly startedAt: string;
  /** False when the DNS sink could not listen (then tried hosts are not observed). */
  readonly dnsObserved: boolean;
  readonly clients: readonly ClientRun[];
  readonly durationMs: number;
}

/** Why a client cannot play a scenario (its `requires`), or undefined. */
function applicable(client: EcosystemClient, s: BlackboxScenario): string | undefined {
  const r = (s.requires ?? []).find((x) => x.kind === 'clientCapability' && x.capability === 'customBaseUrl' && !client.customBaseUrl);
  return r?.reason;
}

export async function runEcosystem(opts: EcosystemRunOptions): Promise<EcosystemRun> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const all = ecosystemBlackboxScenarios();
  const scenarios = opts.scenarios === undefined ? all : all.filter((s) => opts.scenarios!.includes(s.id));
  const impersonation = await prepareProductionImpersonation(opts.loopbackCheck === undefined ? {} : { check: opts.loopbackCheck });
  const workDir = await mkdtemp(join(tmpdir(), 'cac-ecosystem-'));
  let dnsCase: string | undefined;
  const mock = await portMockControl({ seed: opts.seed, production: impersonation.tls });
  const dns = await startDnsSink(() => dnsCase).catch(() => undefined);
  const out: ClientRun[] = [];
  try {
    for (const installed of opts.clients) {
      const clientStarted = Date.now();
      const runs: ScenarioRun[] = [];
      const notRun: { scenario: ScenarioId; reason: string }[] = [];
      let version = installed.version;
      for (const s of scenarios) {
        const reason = applicable(installed.client, s);
        if (reason !== undefined) {
          notRun.push({ scenario: s.id, reason });
          continue;
        }
        const recording = await playClientScenario({
          mock,
          ...(dns === undefined ? {} : { dns }),
          setDnsCase: (c) => (dnsCase = c),
          clientId: installed.client.id,
          driverCommand: driverCommand(installed, opts.repoRoot),
          scenario: s,
          workDir,
          env: impersonation.env,
          timeoutMs: opts.timeoutMs,
        });
        if (recording.clientVersion !== 'unknown') version = recording.clientVersion;
        const results = judgeScenario(recording, installed.client.custody);
        runs.push({ recording, results });
        opts.onScenario?.(recording, results);
      }
      const coexistence = opts.afterClient === undefined || (opts.scenarios !== undefined && !opts.coexistenceSelected)
        ? undefined
        : await opts.afterClient({ mock, ...(dns === undefined ? {} : { dns }), setDnsCase: (c) => (dnsCase = c), env: impersonation.env, caCertPath: impersonation.caCertPath, workDir, timeoutMs: opts.timeoutMs, driverCommand: driverCommand(installed, opts.repoRoot) }, installed);
      out.push({ client: installed.client, version, scenarios: runs, notRun, ...(coexistence === undefined ? {} : { coexistence }), durationMs: Date.now() - clientStarted });
    }
  } finally {
    await dns?.close();
    await mock.close();
    await impersonation.dispose();
    await rm(workDir, { recursive: true, force: true });
  }
  return { startedAt, dnsObserved: dns !== undefined, clients: out, durationMs: Date.now() - started };
}
