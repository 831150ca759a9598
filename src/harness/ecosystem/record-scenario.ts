import { createHash } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Fault } from '../../../mocks/faults.js';
import type { ObservedRequest } from '../../rules/observed-request.js';
import { renderAuthJson } from '../scenario/codex-home.js';
import { driverImplementation } from '../driver/driver-implementation.js';
import type { DriverSession } from '../driver/driver-session.js';
import type { CaseSetup, Outcome } from '../implementation.js';
import type { MockControl } from '../mock-control.js';
import type { DnsSink } from './dns-sink.js';
import type { Scenario } from './scenarios.js';

/**
 * Runs one scenario against one third-party client: seeds the account and tokens in the mock,
 * installs the fault, writes CODEX_HOME/auth.json, starts a fresh driver process in a sandbox
 * (its own HOME, TMPDIR and working directory), makes one model request through the package's
 * public API (`invoke core.responses`), asks what it left in auth.json (`introspect authJson`),
 * and collects the evidence: the case's journal, DNS names it tried (dns-sink.ts), files it
 * wrote outside CODEX_HOME, and whether it crashed or hung. Never throws for a misbehaving
 * package: that is evidence too. Raw tokens stay in memory (`seeded`); reports fingerprint them.
 */
export interface AuthJsonIntrospection {
  readonly present: boolean;
  readonly disposition: 'absent' | 'created' | 'deleted' | 'unchanged' | 'replaced' | 'rewrittenInPlace';
  readonly mode?: string;
  readonly parses?: boolean;
  readonly keys?: readonly string[];
  readonly authMode?: string | null;
  readonly accountId?: string | null;
  readonly lastRefresh?: string | null;
  readonly digests?: { readonly accessToken: string | null; readonly refreshToken: string | null; readonly idToken: string | null };
}

export type SafetyEvent =
  | { readonly kind: 'crashed'; readonly detail: string }
  | { readonly kind: 'hung'; readonly detail: string }
  | { readonly kind: 'nonLoopbackAttempt'; readonly detail: string }
  | { readonly kind: 'wroteOutsideCodexHome'; readonly detail: string }
  | { readonly kind: 'driverFailed'; readonly detail: string };

export interface ScenarioRecording {
  readonly clientId: string;
  readonly clientVersion: string;
  readonly scenario: Scenario;
  readonly caseId: string;
  readonly seeded: {
    readonly accountId: string;
    readonly fedramp: boolean;
    readonly accessToken: string;
    readonly refreshToken: string;
    readonly idToken: string;
    readonly lastRefresh: string;
  };
  readonly config: { readonly chatgptBaseUrl?: string };
  readonly entries: readonly ObservedRequest[];
  readonly outcome: Outcome;
  readonly authJson: AuthJsonIntrospection | undefined;
  /** Caller-custody clients: whether the package handed refreshed credentials back (digests only). */
  readonly callerStore?: { readonly handedBack: boolean; readonly digests?: { readonly accessToken: string | null; readonly refreshToken: string | null } };
  readonly dnsNames: readonly string[];
  readonly outsideWrites: readonly string[];
  /** Names of the files in CODEX_HOME after the run (stray temp files beside auth.json show here). */
  readonly codexHomeFiles: readonly string[];
  readonly safety: readonly SafetyEvent[];
  /** The model text the client got back, when it reported one. */
  readonly text?: string;
  readonly durationMs: number;
}

export interface RecordScenarioOptions {
  readonly mock: MockControl;
  readonly dns?: DnsSink;
  /** Sets the case the DNS sink attributes queries to. */
  readonly setDnsCase?: (caseId: string | undefined) => void;
  readonly clientId: string;
  /** Driver command (node + script + --install-dir ...). */
  readonly driverCommand: readonly string[];
  readonly scenario: Scenario;
  readonly workDir: string;
  /** Environment for the driver process (run CA trust). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

function faultsFor(s: Scenario, caseId: string): Fault[] {
  const faults: Fault[] = [];
  if (s.unauthorizedOnce) faults.push({ kind: 'unauthorizedOnce', caseId, path: '/responses' });
  if (s.refreshFailure !== undefined) {
    const f = s.refreshFailure;
    faults.push({ kind: 'tokenEndpointError', code: f.code === 'invalid_grant' ? 'other' : f.code, status: f.status, caseId });
  }
  return faults;
}

async function listFiles(dir: string, skip: string): Promise<string[]> {
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

function safetyFromSession(session: DriverSession | undefined, startError: unknown): SafetyEvent[] {
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

export async function recordScenario(opts: RecordScenarioOptions): Promise<ScenarioRecording> {
  const s = opts.scenario;
  const caseId = `${opts.clientId}-${s.id}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  const started = Date.now();
  const root = join(opts.workDir, caseId);
  const codexHome = join(root, 'codex-home');
  const dirs = { home: join(root, 'home'), tmp: join(root, 'tmp'), cwd: join(root, 'cwd') };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true, mode: 0o700 })));
  const urls = opts.mock.beginCase(caseId);
  opts.setDnsCase?.(caseId);
  let session: DriverSession | undefined;
  let startError: unknown;
  let outcome: Outcome = { kind: 'errored', message: 'the driver did not run' };
  let authJson: AuthJsonIntrospection | undefined;
  let callerStore: ScenarioRecording['callerStore'];
  let clientVersion = 'unknown';
  try {
    const backend = opts.mock.backend;
    const account = backend.createAccount({ plan: s.plan, fedramp: s.fedramp });
    const tokenOpts = s.accessToken.kind === 'expired' ? { expired: true } : s.accessToken.kind === 'insideRefreshWindow' ? { ttlSeconds: s.accessToken.secondsLeft } : {};
    const t = await backend.issueChatgptTokens(account.id, tokenOpts);
    if (s.accessTokenRevoked) {
      for (const record of backend.accessTokens.values()) if (record.accountId === account.id) record.revoked = true;
    }
    const faults = faultsFor(s, caseId);
    if (faults.length > 0) opts.mock.useFaults(...faults);
    const lastRefresh = new Date(backend.now() - s.lastRefreshAgeSeconds * 1000).toISOString();
    const authText = renderAuthJson(
      { mode: 'chatgpt', idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken, ...(s.storedAccountId ? { accountId: account.id } : {}), lastRefresh },
      new Date(backend.now()),
    );
    const config = s.customBaseUrl ? { chatgptBaseUrl: urls.chatgptBackendApi } : {};
    const setup: CaseSetup = { caseId, home: codexHome, files: authText === undefined ? {} : { 'auth.json': authText }, env: {}, config };
    const implementation = driverImplementation(opts.driverCommand, {
      timeoutMs: opts.timeoutMs,
      startTimeoutMs: Math.max(opts.timeoutMs, 30_000),
      maxRestarts: 0,
      cwd: dirs.cwd,
      env: {
        ...opts.env,
        HOME: dirs.home,
        TMPDIR: dirs.tmp,
        XDG_CONFIG_HOME: join(dirs.home, '.config'),
        XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
        XDG_CACHE_HOME: join(dirs.home, '.cache'),
        XDG_STATE_HOME: join(dirs.home, '.local', 'state'),
      },
    });
    const recording = (rest: Pick<ScenarioRecording, 'entries' | 'outcome' | 'authJson' | 'dnsNames' | 'outsideWrites' | 'codexHomeFiles' | 'safety' | 'durationMs'> & Partial<Pick<ScenarioRecording, 'text' | 'callerStore'>>): ScenarioRecording => ({
      clientId: opts.clientId,
      clientVersion,
      scenario: s,
      caseId,
      seeded: { accountId: account.id, fedramp: s.fedramp, accessToken: t.accessToken, refreshToken: t.refreshToken, idToken: t.idToken, lastRefresh },
      config,
      ...rest,
    });
    try {
      session = await implementation.start();
      clientVersion = session.hello.implementation.version;
      await session.configure(setup);
      outcome = await session.invoke('core.responses');
      if (session.hello.capabilities.introspect.includes('authJson')) {
        authJson = (await session.introspect('authJson').catch(() => undefined)) as AuthJsonIntrospection | undefined;
      }
      if (session.hello.capabilities.introspect.includes('callerStore')) {
        callerStore = (await session.introspect('callerStore').catch(() => undefined)) as ScenarioRecording['callerStore'];
      }
    } catch (e) {
      startError = e;
    } finally {
      await session?.stop().catch(() => undefined);
    }
    const safety = safetyFromSession(session, startError);
    const dnsNames = opts.dns?.namesFor(caseId) ?? [];
    for (const name of dnsNames) safety.push({ kind: 'nonLoopbackAttempt', detail: `looked up ${name} (not a production host: no answer inside the namespace)` });
    const outsideWrites = (await listFiles(root, codexHome)).map((p) => relative(root, p));
    const codexHomeFiles = (await listFiles(codexHome, '')).map((p) => relative(codexHome, p));
    for (const w of outsideWrites) safety.push({ kind: 'wroteOutsideCodexHome', detail: w });
    const body = outcome.kind === 'sent' ? (outcome.body as { text?: unknown } | undefined) : undefined;
    return recording({
      entries: opts.mock.journal(caseId),
      outcome,
      authJson,
      ...(callerStore === undefined ? {} : { callerStore }),
      dnsNames,
      outsideWrites,
      codexHomeFiles,
      safety,
      durationMs: Date.now() - started,
      ...(typeof body?.text === 'string' ? { text: body.text } : {}),
    });
  } finally {
    opts.setDnsCase?.(undefined);
    opts.mock.endCase();
  }
}
