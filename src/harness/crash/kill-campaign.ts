import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { judgeKill, isBroken, type FileSnapshot, type KillVerdict } from './kill-verdict.js';
import { displayName, filterableFiles, hitCall, injections, nextUnstableWhen, parseTrace, straceArgs, writePoints, type Injection, type KillPoint, type TraceEvent } from './strace-trace.js';

/**
 * One crash-safety campaign for one writer: a run without injection lists the write points on
 * the auth.json files (strace-trace.ts), then one run per injection (each syscall with a write
 * point, at its 1st, 2nd, ... call per thread until the writer completes unkilled) kills the writer
 * there, and the auth.json each kill left is judged (kill-verdict.ts). How a writer run is started is the
 * caller's (a codex exec turn inside the namespace, a client, a tiny test writer): it gets a shim
 * executable that stands in for the writer's own and runs it under strace (strace-probe.mjs).
 */
export interface KillOutcome {
  /** The injection: SIGKILL at this thread-wise call of `syscall` on the auth files. */
  readonly injection: Injection;
  /** The call strace's log shows as never returned (undefined: no kill on an auth file). */
  readonly hit?: string;
  /** The hit call writes (an open for writing, a write, truncate, rename, fsync, the close after a write). */
  readonly hitWrites: boolean;
  /** The writer ended by SIGKILL. */
  readonly killed: boolean;
  /**
   * For an injection counted among all files (a write point on a run-time name) tried again
   * because the run before hit another call: the 1-based row of the kill it retries.
   */
  readonly retryOf?: number;
  readonly verdict: KillVerdict;
}

export interface CrashReport {
  readonly writer: string;
  /** Base names of the files of the commit (auth.json and any temp or lock file). */
  readonly files: readonly string[];
  /** The run without injection: its write points (in order) and what it left. */
  readonly control: { readonly points: readonly KillPoint[]; readonly verdict: KillVerdict };
  readonly kills: readonly KillOutcome[];
}

/** Starts `count` writer runs, one after the other, each through `shim` (in place of the writer's executable). */
export type WriterRuns = (shim: string, count: number) => Promise<void>;

const PROBE = join(dirname(fileURLToPath(import.meta.url)), 'strace-probe.mjs');

/**
 * Writes the shim that runs `real` through the probe for the plan in `dir` (returns its path).
 * The shell stays the process its starter knows (no `exec`): a starter that kills it (a driver
 * session gives a stopping driver 2 s) does not kill the probe, which still copies the auth.json
 * the writer left once strace ends; readRun waits for that.
 */
export async function writeShim(dir: string, real: string): Promise<string> {
  const shim = join(dir, 'writer');
  await writeFile(shim, `#!/bin/sh\n${JSON.stringify(process.execPath)} ${JSON.stringify(PROBE)} ${JSON.stringify(dir)} ${JSON.stringify(real)} "$@"\n`, { mode: 0o700 });
  return shim;
}

interface RunRecord {
  readonly home: string;
  readonly before: FileSnapshot;
  readonly after: FileSnapshot;
  readonly log: string;
  readonly killed: boolean;
}

/** Longest wait for a probe to record how its run ended after the starter returned. */
const PROBE_END_MS = 30_000;

async function waitForFile(path: string, ms: number): Promise<string | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined || Date.now() >= until) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function readRun(dir: string, n: number): Promise<RunRecord> {
  const out = join(dir, `run-${n}`);
  const home = (await readFile(join(out, 'home'), 'utf8').catch(() => '')).trim();
  if (home === '') throw new Error(`writer run ${n} did not start through the probe (no ${join(out, 'home')})`);
  const copy = async (name: 'before' | 'after'): Promise<FileSnapshot> => {
    const text = await readFile(join(out, `${name}.json`), 'utf8').catch(() => undefined);
    const mode = await readFile(join(out, `${name}.mode`), 'utf8').catch(() => undefined);
    return { ...(text === undefined ? {} : { text }), ...(mode === undefined ? {} : { mode: Number(mode) }) };
  };
  const ended = await waitForFile(join(out, 'exit.json'), PROBE_END_MS);
  // Without it the probe never copied the file the writer left: no verdict, rather than a false "absent".
  if (ended === undefined) throw new Error(`writer run ${n}: the probe did not record its end within ${PROBE_END_MS / 1000} s (no ${join(out, 'exit.json')})`);
  const exit = JSON.parse(ended) as { status?: number | null; signal?: string | null };
  return {
    home,
    before: await copy('before'),
    after: await copy('after'),
    log: await readFile(join(out, 'trace.log'), 'utf8').catch(() => ''),
    killed: exit.signal === 'SIGKILL' || exit.status === 137,
  };
}

/** Kill runs a missed write point on a run-time name gets beyond its first (each steps its index by one). */
export const DEFAULT_MAX_RETRIES = 3;

export async function runCampaign(opts: { readonly writer: string; readonly dir: string; readonly real: string; readonly runs: WriterRuns; readonly maxRetries?: number }): Promise<CrashReport> {
  const enumDir = join(opts.dir, 'enumerate');
  await mkdir(enumDir, { recursive: true, mode: 0o700 });
  await writeFile(join(enumDir, 'plan.json'), JSON.stringify([{ strace: straceArgs({ logFile: '{out}/trace.log' }) }]));
  await opts.runs(await writeShim(enumDir, opts.real), 1);
  const control = await readRun(enumDir, 1);
  const traced = parseTrace(control.log);
  const { files, points } = writePoints(traced, control.home);
  const plan = injections(traced, control.home);
  const names = files.map((f) => displayName(f));
  const filtered = filterableFiles(traced, control.home).map((f) => basename(f));
  const killDir = join(opts.dir, 'kill');
  await mkdir(killDir, { recursive: true, mode: 0o700 });
  await writeFile(join(killDir, 'plan.json'), JSON.stringify(plan.map((p) => ({ strace: straceArgs({ logFile: '{out}/trace.log', paths: filtered.map((f) => `{home}/${f}`), inject: p }) }))));
  if (plan.length > 0) await opts.runs(await writeShim(killDir, opts.real), plan.length);
  const kills: KillOutcome[] = [];
  const outcome = (injection: Injection, r: RunRecord, retryOf?: number): { kill: KillOutcome; events: TraceEvent[] } => {
    const events = parseTrace(r.log);
    const hit = hitCall(events, r.home, injection.syscall);
    return { kill: { injection, ...(hit === undefined ? {} : { hit: hit.label }), hitWrites: hit?.writes === true, killed: r.killed, verdict: judgeKill(r.before, r.after), ...(retryOf === undefined ? {} : { retryOf }) }, events };
  };
  const missed: { row: number; injection: Injection; events: TraceEvent[]; home: string }[] = [];
  for (const [i, injection] of plan.entries()) {
    const r = await readRun(killDir, i + 1);
    const { kill, events } = outcome(injection, r);
    kills.push(kill);
    if (injection.count === 'all' && !kill.hitWrites) missed.push({ row: kills.length, injection, events, home: r.home });
  }
  // A write point on a run-time name is counted among all calls of its syscall, an index that moves between runs: step towards it.
  let retries = 0;
  for (const m of missed) {
    const tried = new Set([m.injection.when]);
    let last = m;
    for (let attempt = 0; attempt < (opts.maxRetries ?? DEFAULT_MAX_RETRIES); attempt++) {
      const when = nextUnstableWhen(last.events, last.home, last.injection, new Set(filtered), tried);
      if (when === undefined) break;
      tried.add(when);
      retries += 1;
      const injection: Injection = { ...m.injection, when };
      const dir = join(opts.dir, `retry-${retries}`);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(join(dir, 'plan.json'), JSON.stringify([{ strace: straceArgs({ logFile: '{out}/trace.log', inject: injection }) }]));
      await opts.runs(await writeShim(dir, opts.real), 1);
      const r = await readRun(dir, 1);
      const { kill, events } = outcome(injection, r, m.row);
      kills.push(kill);
      if (kill.hitWrites) break;
      last = { row: m.row, injection, events, home: r.home };
    }
  }
  return { writer: opts.writer, files: names, control: { points, verdict: judgeKill(control.before, control.after) }, kills };
}

export function brokenCount(report: CrashReport): number {
  return report.kills.filter((k) => isBroken(k.verdict)).length;
}
