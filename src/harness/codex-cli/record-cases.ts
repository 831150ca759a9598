import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHttpMock, type HttpMock } from '../../../mocks/http-bridge.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { codexCliCase, type CodexCliCaseId } from './codex-cli-cases.js';
import { writeCodexHome, type CodexConfigOptions } from './codex-home.js';
import type { RecordedRun, RunConfig } from './judge-codex-cli-run.js';
import { runCodexTurn, type TurnOutcome } from './run-codex-turn.js';
import { createRunCertificates } from './run-certificates.js';
import { seedCase } from './seed-case.js';

/**
 * Runs the selected cases against one mock and keeps the journal in memory. Two transports:
 *  - `netns`: this process already runs inside the run's network namespace (assertIsolated
 *    passed); the mock serves HTTPS on 127.0.0.1:443 with a per-run CA, the binary keeps the
 *    production base URLs and the hosts bind mount sends them to the mock (docs/real-cli.md).
 *  - `loopbackHttp` (--allow-network only): nothing is isolated; the mock listens on a free
 *    loopback port over plain http and every base URL the binary reads from config or env points
 *    there, never at a production host. ChatGPT modes stop early (workspace routing needs an
 *    https origin; agent identity refuses non-production bases).
 */
export type RecordTransport = 'netns' | 'loopbackHttp';

export interface RecordOptions {
  readonly binaryPath: string;
  readonly version: string;
  readonly caseIds: readonly CodexCliCaseId[];
  readonly workDir: string;
  readonly transport: RecordTransport;
  readonly timeoutMs: number;
  /** Called after each case (progress). */
  readonly onCase?: (caseId: string, outcome: TurnOutcome, requests: number) => void;
}

export interface CaseRecording {
  readonly run: RecordedRun;
  readonly outcome: TurnOutcome;
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
  if (o.completed) return 'exit 0';
  return `exit ${o.exitCode ?? o.signal ?? '?'}${o.stderrTail === '' ? '' : `: ${oneLine(o.stderrTail).slice(-300)}`}`;
}

async function startMock(transport: RecordTransport, workDir: string): Promise<{ mock: HttpMock; caCertPath?: string }> {
  if (transport === 'loopbackHttp') return { mock: await startHttpMock({ host: '127.0.0.1', port: 0 }) };
  const certs = await createRunCertificates(join(workDir, 'tls'));
  const [key, cert] = await Promise.all([readFile(certs.leafKeyPath, 'utf8'), readFile(certs.leafCertPath, 'utf8')]);
  return { mock: await startHttpMock({ host: '127.0.0.1', port: 443, tls: { key, cert } }), caCertPath: certs.caCertPath };
}

export async function recordCases(opts: RecordOptions): Promise<CaseRecording[]> {
  await mkdir(opts.workDir, { recursive: true, mode: 0o700 });
  const { mock, caCertPath } = await startMock(opts.transport, opts.workDir);
  const out: CaseRecording[] = [];
  try {
    const { config, env } = transportConfig(opts.transport, opts.transport === 'loopbackHttp' ? mock.origin : undefined);
    for (const id of opts.caseIds) {
      const c = codexCliCase(id);
      mock.ctx.currentCaseId = c.id;
      const seeded = await seedCase(mock.backend, c);
      const home = await writeCodexHome(join(opts.workDir, c.id, 'home'), seeded.credentials, { ...config, ...(caCertPath === undefined ? {} : { caCertPath }) });
      const outcome = await runCodexTurn({
        binaryPath: opts.binaryPath,
        clientVersion: opts.version,
        home: { ...home, env: { ...home.env, ...env } },
        flow: c.flow,
        ...(seeded.hostTokens === undefined ? {} : { hostTokens: seeded.hostTokens }),
        timeoutMs: opts.timeoutMs,
        secrets: seeded.secrets,
      });
      const entries: readonly ObservedRequest[] = mock.journal.list(c.id);
      const runConfig: RunConfig = {
        ...(config.chatgptBaseUrl === undefined ? {} : { chatgptBaseUrl: config.chatgptBaseUrl }),
        ...(config.openaiBaseUrl === undefined ? {} : { openaiBaseUrl: config.openaiBaseUrl }),
        env,
      };
      out.push({
        run: { expectation: seeded.expectation, config: runConfig, entries, outcome: { completed: outcome.completed, description: describeOutcome(outcome) } },
        outcome,
        unhandled: entries.filter((e) => !e.verdict.handled).map((e) => `${e.method} ${e.url}`),
      });
      opts.onCase?.(c.id, outcome, entries.length);
    }
  } finally {
    mock.ctx.currentCaseId = undefined;
    await mock.close();
  }
  return out;
}
