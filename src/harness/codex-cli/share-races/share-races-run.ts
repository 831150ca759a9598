import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceInputError } from '../../../errors.js';
import { checkVersion } from '../codex-install.js';
import { NETNS_MARKER_ENV } from '../../isolation/isolation-guard.js';
import { repoRoot } from '../netns-reexec.js';
import { spawnInNetns, type NetnsProcess } from '../../isolation/netns-run.js';
import { tail } from '../../isolation/scrub-secrets.js';
import { RACE_SCENARIO_IDS, type RaceObservation, type RaceScenarioId } from './race-observation.js';

/**
 * The outer side of a race run: the harness re-executes in-netns-races.ts inside a fresh network
 * namespace (loopback only, production names mapped to the mock; netns-run.ts) once per release,
 * and reads back one redacted observation per line. Nothing else leaves the namespace.
 */
export const RACE_LINE_PREFIX = { observation: '@share-races observation ', done: '@share-races done' } as const;

export interface RaceInnerArgs {
  readonly binaryPath: string;
  readonly version: string;
  readonly scenarios: readonly RaceScenarioId[];
  readonly runs: number;
  readonly timeoutMs: number;
}

const USAGE = 'in-netns-races.ts --binary <path> --version <v> --scenarios <id,...> --runs <n> --timeout-ms <n>';

/** Scenario ids from a comma list; typed error for anything else. */
export function parseScenarioList(list: string): RaceScenarioId[] {
  const ids = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new ConformanceInputError('USAGE', 'No race scenario selected.', `Pass --scenarios with one or more of ${RACE_SCENARIO_IDS.join(', ')}.`);
  for (const id of ids) {
    if (!(RACE_SCENARIO_IDS as readonly string[]).includes(id)) throw new ConformanceInputError('USAGE', `"${id.slice(0, 60)}" is not a race scenario.`, `Use one or more of ${RACE_SCENARIO_IDS.join(', ')}.`);
  }
  return ids as RaceScenarioId[];
}

/** A whole number in [min, max]; typed error otherwise. */
export function parseCount(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min || n > max) throw new ConformanceInputError('USAGE', `${flag} ${JSON.stringify(value ?? '')} is not a whole number from ${min} to ${max}.`, `Pass ${flag} <n> with ${min} <= n <= ${max}.`);
  return n;
}

export function parseRaceInnerArgs(argv: readonly string[]): RaceInnerArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === undefined || !flag.startsWith('--') || value === undefined) throw new ConformanceInputError('USAGE', `Bad arguments ${JSON.stringify(argv).slice(0, 300)}.`, `usage: ${USAGE}`);
    values.set(flag.slice(2), value);
  }
  const binaryPath = values.get('binary');
  const version = values.get('version');
  if (binaryPath === undefined || version === undefined) throw new ConformanceInputError('USAGE', 'Missing --binary or --version.', `usage: ${USAGE}`);
  checkVersion(version);
  return {
    binaryPath,
    version,
    scenarios: parseScenarioList(values.get('scenarios') ?? ''),
    runs: parseCount('--runs', values.get('runs'), 1, 5),
    timeoutMs: parseCount('--timeout-ms', values.get('timeout-ms'), 1000, 600_000),
  };
}

export function raceEntryPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'in-netns-races.ts');
}

/** The command the launcher runs inside the namespace (pure; no secret in it). */
export function buildRaceInnerProcess(args: RaceInnerArgs, path = '/usr/local/bin:/usr/bin:/bin'): NetnsProcess {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', raceEntryPath(), '--binary', args.binaryPath, '--version', args.version, '--scenarios', args.scenarios.join(','), '--runs', String(args.runs), '--timeout-ms', String(args.timeoutMs)],
    env: { PATH: path, [NETNS_MARKER_ENV]: '1' },
    cwd: repoRoot(),
  };
}

export function parseRaceOutput(stdout: string): { readonly observations: RaceObservation[]; readonly done: boolean } {
  const observations: RaceObservation[] = [];
  let done = false;
  for (const line of stdout.split('\n')) {
    if (line === RACE_LINE_PREFIX.done) done = true;
    else if (line.startsWith(RACE_LINE_PREFIX.observation)) {
      try {
        observations.push(JSON.parse(line.slice(RACE_LINE_PREFIX.observation.length)) as RaceObservation);
      } catch {
        // a torn line: the run is then not done
      }
    }
  }
  return { observations, done };
}

/** Plays the races of one release inside a fresh namespace. `onProgress` gets the inner stderr. */
export async function runRacesInNetns(args: RaceInnerArgs, onProgress?: (text: string) => void): Promise<{ readonly observations: RaceObservation[]; readonly error?: string }> {
  const workDir = await mkdtemp(join(tmpdir(), 'share-races-netns-'));
  try {
    const child = await spawnInNetns({ workDir, main: buildRaceInnerProcess(args, process.env['PATH'] ?? '/usr/bin:/bin') });
    if (!child.isolated) {
      child.kill();
      throw new ConformanceInputError('BAD_CONFIG', 'The namespace could not be created for the race run.', 'Run as root or allow unprivileged user namespaces (docs/real-cli.md §2).');
    }
    let stdout = '';
    let stderr = '';
    child.process.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.process.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-16_384);
      onProgress?.(d);
    });
    child.process.stdin.end();
    const budget = args.scenarios.length * args.runs * (3 * args.timeoutMs + 60_000) + 60_000;
    const timer = setTimeout(() => child.kill(), budget);
    const { code, signal } = await child.exited.finally(() => clearTimeout(timer));
    const parsed = parseRaceOutput(stdout);
    if (!parsed.done) return { observations: parsed.observations, error: `the namespaced race runner ended early (exit ${code ?? signal}): ${tail(stderr, 400)}` };
    return { observations: parsed.observations };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
