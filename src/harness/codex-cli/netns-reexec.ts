import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileById, type ProfileId } from '../../rules/profiles.js';
import { ConformanceInputError } from '../../errors.js';
import type { CaseResult } from '../results.js';
import type { CaseEvidence, PlayEvidence } from './case-evidence.js';
import type { WireCase } from '../wire-record.js';
import { codexCliCaseIds, type CodexCliCaseId } from '../judges/codex-cli/case-view.js';
import { NETNS_MARKER_ENV } from '../isolation/isolation-guard.js';
import { spawnInNetns, type NetnsProcess } from '../isolation/netns-run.js';
import { tail } from '../isolation/scrub-secrets.js';

/**
 * The harness re-executes itself inside the run's network namespace so the mock (HTTPS on
 * 127.0.0.1:443) and the journal live in the same process as the judge, in memory: the outer
 * process starts `node --import tsx in-netns-entry.ts ...` through netns-launcher.mjs
 * (`unshare --net --mount`, loopback only, hosts/resolv.conf bind mounts), the inner process
 * checks isolation, runs the binary as its child, judges, and prints only verdicts and redacted
 * evidence on stdout, one prefixed JSON line each. No journal file is written.
 */
export const LINE_PREFIX = {
  result: '@codex-cli result ',
  play: '@codex-cli play ',
  evidence: '@codex-cli evidence ',
  /** The wire record of one case (wire-record.ts): what `matrix --diff` compares between releases. */
  wire: '@codex-cli wire ',
  done: '@codex-cli done',
} as const;

export interface InnerArgs {
  readonly binaryPath: string;
  readonly version: string;
  readonly caseIds: readonly CodexCliCaseId[];
  /** Scenario files played besides the cases (absolute paths; any family whose actors are codex actors). */
  readonly scenarioFiles?: readonly string[];
  readonly timeoutMs: number;
  /** The contract profile the recordings are judged under (default: the one for `version`). */
  readonly profile?: ProfileId;
}

export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

export function innerEntryPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'in-netns-entry.ts');
}

/** The command the launcher runs inside the namespace (pure; no secret in it). */
export function buildInnerProcess(args: InnerArgs, env: { readonly PATH?: string; readonly root?: string } = {}): NetnsProcess {
  if (args.caseIds.length === 0 && (args.scenarioFiles ?? []).length === 0) throw new ConformanceInputError('USAGE', 'No codex-cli case selected.', `Select at least one of ${codexCliCaseIds().join(', ')}.`);
  return {
    command: process.execPath,
    args: ['--import', 'tsx', innerEntryPath(), '--binary', args.binaryPath, '--version', args.version, ...(args.caseIds.length === 0 ? [] : ['--cases', args.caseIds.join(',')]), ...((args.scenarioFiles ?? []).length === 0 ? [] : ['--scenario-files', args.scenarioFiles!.join(',')]), '--timeout-ms', String(args.timeoutMs), ...(args.profile !== undefined ? ['--profile', args.profile] : [])],
    env: { PATH: env.PATH ?? '/usr/local/bin:/usr/bin:/bin', [NETNS_MARKER_ENV]: '1', ...(process.env['CODEX_CLI_CONCURRENCY'] === undefined ? {} : { CODEX_CLI_CONCURRENCY: process.env['CODEX_CLI_CONCURRENCY'] }) },
    cwd: env.root ?? repoRoot(),
  };
}

/** Parses the inner process's arguments; typed errors for anything else. */
export function parseInnerArgs(argv: readonly string[]): InnerArgs {
  const usage = 'in-netns-entry.ts --binary <path> --version <v> [--cases <id,...>] [--scenario-files <path,...>] --timeout-ms <n> [--profile <name>]';
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === undefined || !flag.startsWith('--') || value === undefined) throw new ConformanceInputError('USAGE', `Bad arguments ${JSON.stringify(argv)}.`, `usage: ${usage}`);
    values.set(flag.slice(2), value);
  }
  const binaryPath = values.get('binary');
  const version = values.get('version');
  const cases = (values.get('cases') ?? '').split(',').filter((c) => c !== '');
  const timeoutMs = Number(values.get('timeout-ms'));
  const scenarioFiles = (values.get('scenario-files') ?? '').split(',').filter((c) => c !== '');
  if (binaryPath === undefined || version === undefined || (cases.length === 0 && scenarioFiles.length === 0) || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new ConformanceInputError('USAGE', `Missing or bad arguments ${JSON.stringify(argv)}.`, `usage: ${usage}`);
  }
  for (const c of cases) {
    if (!codexCliCaseIds().includes(c)) throw new ConformanceInputError('USAGE', `"${c}" is not a codex-cli case.`, `Use ${codexCliCaseIds().join(', ')} (scenarios/blackbox/codex-cli/).`);
  }
  const profile = values.get('profile');
  return { binaryPath, version, caseIds: cases as CodexCliCaseId[], ...(scenarioFiles.length === 0 ? {} : { scenarioFiles }), timeoutMs, ...(profile !== undefined ? { profile: profileById(profile).id } : {}) };
}

export interface InnerOutput {
  readonly results: CaseResult[];
  readonly evidence: CaseEvidence[];
  /** Scenario plays (steps, journal spans, auth.json each actor left), fingerprints only. */
  readonly plays: PlayEvidence[];
  readonly wire: WireCase[];
  readonly done: boolean;
}

export function parseInnerOutput(stdout: string): InnerOutput {
  const results: CaseResult[] = [];
  const evidence: CaseEvidence[] = [];
  const plays: PlayEvidence[] = [];
  const wire: WireCase[] = [];
  let done = false;
  for (const line of stdout.split('\n')) {
    try {
      if (line.startsWith(LINE_PREFIX.result)) results.push(JSON.parse(line.slice(LINE_PREFIX.result.length)) as CaseResult);
      else if (line.startsWith(LINE_PREFIX.play)) plays.push(JSON.parse(line.slice(LINE_PREFIX.play.length)) as PlayEvidence);
      else if (line.startsWith(LINE_PREFIX.evidence)) evidence.push(JSON.parse(line.slice(LINE_PREFIX.evidence.length)) as CaseEvidence);
      else if (line.startsWith(LINE_PREFIX.wire)) wire.push(JSON.parse(line.slice(LINE_PREFIX.wire.length)) as WireCase);
      else if (line === LINE_PREFIX.done) done = true;
    } catch {
      // a torn line: the run is then not `done` or misses a result; reported below
    }
  }
  return { results, evidence, plays, wire, done };
}

/** Error results for every rule when the namespaced run did not finish (the run is not ok). */
export function innerFailure(rules: readonly string[], what: string): CaseResult[] {
  return rules.map((ruleId) => ({ type: 'case' as const, ruleId, caseId: 'codex-cli', verdict: 'error' as const, message: `${ruleId} not judged: ${what}`, durationMs: 0 }));
}

export async function runInnerInNetns(args: InnerArgs, rules: readonly string[], opts: { readonly timeoutMs?: number } = {}): Promise<InnerOutput & { readonly durationMs: number }> {
  const workDir = await mkdtemp(join(tmpdir(), 'codex-cli-netns-'));
  const started = performance.now();
  try {
    const child = await spawnInNetns({ workDir, main: buildInnerProcess(args, { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }) });
    if (!child.isolated) {
      child.kill();
      throw new ConformanceInputError('BAD_CONFIG', 'The namespace could not be created for the codex-cli run.', 'Run as root or allow unprivileged user namespaces (docs/real-cli.md §2).');
    }
    let stdout = '';
    let stderr = '';
    child.process.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.process.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-16_384);
      if (process.env['CODEX_CLI_PROGRESS'] === '1') process.stderr.write(d);
    });
    child.process.stdin.end();
    const timer = setTimeout(() => child.kill(), opts.timeoutMs ?? args.timeoutMs * (args.caseIds.length + (args.scenarioFiles ?? []).length + 1) + 60_000);
    const { code, signal } = await child.exited.finally(() => clearTimeout(timer));
    const parsed = parseInnerOutput(stdout);
    const durationMs = Math.round(performance.now() - started);
    if (!parsed.done) {
      return { ...parsed, results: [...parsed.results, ...innerFailure(rules, `the namespaced harness ended early (exit ${code ?? signal}): ${tail(stderr, 400)}`)], durationMs };
    }
    return { ...parsed, durationMs };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
