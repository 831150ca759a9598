import { basename, dirname, isAbsolute, join } from 'node:path';

/**
 * The kill mechanism: `strace` syscall fault injection (`-e inject=SYSCALL:signal=SIGKILL:when=N`)
 * limited to the auth.json files (`-P` path filters, which strace also applies to fd-based calls).
 * strace counts injections per syscall and per tracee (thread; strace(1), "Accounting of syscalls
 * that are subject to injection is done per syscall and per tracee"), so a kill point is a syscall
 * and its index among that thread's calls of it on the filtered paths. One run without injection
 * lists the calls (`-y` prints each fd's path); each kill run's log shows which call was hit.
 */
export const TRACED_SYSCALLS = [
  'open', 'openat', 'creat', 'write', 'pwrite64', 'writev', 'pwritev', 'pwritev2', 'ftruncate', 'truncate',
  'rename', 'renameat', 'renameat2', 'link', 'linkat', 'unlink', 'unlinkat', 'fsync', 'fdatasync', 'fchmod', 'fchmodat', 'chmod', 'close',
] as const;
export type TracedSyscall = (typeof TRACED_SYSCALLS)[number];

export interface TraceEvent {
  readonly tid: number;
  readonly syscall: TracedSyscall;
  /** Absolute paths the call names or whose fds it uses. */
  readonly paths: readonly string[];
  /** `O_...` flags of an open, else empty. */
  readonly flags: readonly string[];
  /** The return value as printed; `?` when the call never returned (the injected kill). */
  readonly result: string;
}

export interface KillPoint {
  readonly syscall: TracedSyscall;
  /** Per-thread index among the calls of `syscall` on the filtered paths (strace's `when=`). */
  readonly when: number;
  /** Per-thread index among all calls of `syscall` (for files -P cannot name ahead). */
  readonly whenAll: number;
  /**
   * The call touches a file whose name the writer picks at run time (created with O_EXCL, or the
   * source of a rename: a random temp name), which a `-P` filter cannot name ahead; strace 6.1's
   * -P does not match a rename's target either.
   */
  readonly unstable: boolean;
  /** The files it touches, by base name (no directory: it holds the scratch path). */
  readonly files: readonly string[];
  /** What the call is, for the table (`openat O_TRUNC`, `write 1934 bytes`, `rename tmp → auth.json`). */
  readonly label: string;
}

/** One kill run: SIGKILL at the `when`-th call of `syscall` per thread, counted on the auth files (`paths`) or on all files (`all`). */
export interface Injection {
  readonly syscall: TracedSyscall;
  readonly when: number;
  readonly count: 'paths' | 'all';
}

/** strace argv that runs `command` traced into `logFile`, optionally killing it at `inject`. */
export function straceArgs(opts: { readonly logFile: string; readonly paths?: readonly string[]; readonly inject?: Injection }): string[] {
  return [
    '-f', '-qq', '-y', '-s', '0', '-o', opts.logFile,
    '-e', `trace=${TRACED_SYSCALLS.join(',')}`,
    ...(opts.inject?.count === 'all' ? [] : (opts.paths ?? []).flatMap((p) => ['-P', p])),
    ...(opts.inject === undefined ? [] : ['-e', `inject=${opts.inject.syscall}:signal=SIGKILL:when=${opts.inject.when}`]),
  ];
}

const LINE = /^(\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()(.*)$/;

/** Parses an `strace -f -y` log into events (an unfinished call and its resumption count once). */
export function parseTrace(text: string): TraceEvent[] {
  const events: TraceEvent[] = [];
  const open = new Map<number, { syscall: TracedSyscall; head: string; index: number }>();
  for (const raw of text.split('\n')) {
    const m = LINE.exec(raw.trim());
    if (m === null) continue;
    const tid = Number(m[1]);
    const resumed = m[2];
    const name = (resumed ?? m[3]) as TracedSyscall;
    if (!(TRACED_SYSCALLS as readonly string[]).includes(name)) continue;
    const rest = m[4] ?? '';
    if (resumed !== undefined) {
      const pending = open.get(tid);
      open.delete(tid);
      if (pending === undefined) continue;
      events[pending.index] = { ...events[pending.index]!, result: resultOf(rest) };
      continue;
    }
    const unfinished = rest.endsWith('<unfinished ...>');
    events.push({ tid, syscall: name, paths: pathsOf(rest), flags: rest.match(/O_[A-Z]+/g) ?? [], result: unfinished ? '?' : resultOf(rest) });
    if (unfinished) open.set(tid, { syscall: name, head: rest, index: events.length - 1 });
  }
  return events;
}

function resultOf(rest: string): string {
  const m = /\)\s+=\s+(\S+)/.exec(rest);
  return m?.[1] ?? '?';
}

/** Paths in a call's arguments: fd annotations `3</p>` and quoted names (relative ones against their `dirfd</dir>`). */
function pathsOf(args: string): string[] {
  const out: string[] = [];
  const call = args.replace(/\)\s+=.*$/, '');
  let lastDir: string | undefined;
  const re = /(\w+)<([^>]*)>|"([^"]*)"/g;
  for (let m = re.exec(call); m !== null; m = re.exec(call)) {
    if (m[2] !== undefined) {
      lastDir = m[2];
      if (m[1] !== 'AT_FDCWD') out.push(m[2]);
      else lastDir = m[2];
    } else if (m[3] !== undefined) {
      out.push(isAbsolute(m[3]) ? m[3] : join(lastDir ?? '/', m[3]));
    }
  }
  return [...new Set(out)];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A file's base name as the tables show it: a random part a writer puts in a temp name (a UUID,
 * the pid after `tmp-`) is written `<uuid>`, `<pid>`, so runs compare and lines stay short.
 */
export function displayName(path: string): string {
  return basename(path).replace(UUID, '<uuid>').replace(/\.tmp-\d+-/, '.tmp-<pid>-');
}

/** True for a file of the auth.json commit in `home`: auth.json and its temp/lock siblings (`*auth*`). */
export function isAuthFile(path: string, home: string): boolean {
  return dirname(path) === home && /auth/i.test(basename(path));
}

const WRITING = new Set<TracedSyscall>(['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2', 'ftruncate', 'truncate', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'unlink', 'unlinkat', 'fsync', 'fdatasync', 'fchmod', 'fchmodat', 'chmod', 'creat']);

function writes(e: TraceEvent, writtenFds: Set<string>): boolean {
  if (e.syscall === 'open' || e.syscall === 'openat') return e.flags.some((f) => f === 'O_TRUNC' || f === 'O_CREAT' || f === 'O_WRONLY' || f === 'O_RDWR');
  if (e.syscall === 'close') return e.paths.some((p) => writtenFds.has(p));
  return WRITING.has(e.syscall);
}

function label(e: TraceEvent): string {
  const files = e.paths.map((p) => displayName(p));
  switch (e.syscall) {
    case 'open':
    case 'openat':
      return `${e.syscall} ${files.join(' ')} ${e.flags.filter((f) => f !== 'O_CLOEXEC').join('|')}`;
    case 'write':
    case 'pwrite64':
    case 'writev':
      return e.result === '?' ? `${e.syscall} ${files.join(' ')}` : `${e.syscall} ${files.join(' ')} (${e.result} bytes)`;
    case 'rename':
    case 'renameat':
    case 'renameat2':
    case 'link':
    case 'linkat':
      return `${e.syscall} ${files.join(' → ')}`;
    default:
      return `${e.syscall} ${files.join(' ')}`;
  }
}

const RENAMES = new Set<TracedSyscall>(['rename', 'renameat', 'renameat2', 'link', 'linkat']);

/** Files of the commit whose names the writer picks at run time: created with O_EXCL, or renamed away. */
function unstableFiles(events: readonly TraceEvent[], home: string): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    if ((e.syscall === 'open' || e.syscall === 'openat') && e.flags.includes('O_EXCL')) for (const p of e.paths) if (isAuthFile(p, home)) out.add(p);
    if (RENAMES.has(e.syscall)) {
      const source = e.paths[0];
      if (source !== undefined && isAuthFile(source, home)) out.add(source);
    }
  }
  return out;
}

/** The calls of a trace on the auth files, each with strace's per-thread `when=` and whether it writes. */
export function authCalls(events: readonly TraceEvent[], home: string): Array<{ readonly event: TraceEvent; readonly point: KillPoint; readonly writes: boolean }> {
  const counts = new Map<string, number>();
  const countsAll = new Map<string, number>();
  const unstable = unstableFiles(events, home);
  const writtenFds = new Set<string>();
  const out: Array<{ event: TraceEvent; point: KillPoint; writes: boolean }> = [];
  for (const e of events) {
    const key = `${e.tid}:${e.syscall}`;
    const whenAll = (countsAll.get(key) ?? 0) + 1;
    countsAll.set(key, whenAll);
    const mine = e.paths.filter((p) => isAuthFile(p, home));
    if (mine.length === 0) continue;
    // -P counts a call when it names a filtered (stable) path; for a rename or link, strace 6.1 matches only the source.
    const named = RENAMES.has(e.syscall) ? mine.filter((p) => p === e.paths[0]) : mine;
    const stable = named.filter((p) => !unstable.has(p));
    const when = stable.length === 0 ? 0 : (counts.get(key) ?? 0) + 1;
    if (stable.length > 0) counts.set(key, when);
    const w = writes(e, writtenFds);
    if (w && e.syscall !== 'close') for (const p of mine) writtenFds.add(p);
    out.push({ event: e, point: { syscall: e.syscall, when, whenAll, unstable: mine.some((p) => unstable.has(p)), files: mine.map((p) => displayName(p)), label: label(e) }, writes: w });
  }
  return out;
}

/**
 * The auth files a trace touched (those a `-P` filter can name first) and the write points on
 * them, each with its strace `when=` (the per-thread index among every call of that syscall on
 * those files, reads included, as strace counts them).
 */
export function writePoints(events: readonly TraceEvent[], home: string): { readonly files: string[]; readonly points: KillPoint[] } {
  const calls = authCalls(events, home);
  const unstable = unstableFiles(events, home);
  const files = [...new Set(calls.flatMap((c) => c.event.paths.filter((p) => isAuthFile(p, home))))];
  return { files: [...files.filter((f) => !unstable.has(f)), ...files.filter((f) => unstable.has(f))], points: calls.filter((c) => c.writes).map((c) => c.point) };
}

/** Files `-P` can name in a kill run (not picked at run time). */
export function filterableFiles(events: readonly TraceEvent[], home: string): string[] {
  const unstable = unstableFiles(events, home);
  return writePoints(events, home).files.filter((f) => !unstable.has(f));
}

/**
 * The injections that cover every write point however the threads interleave: for each syscall
 * with a write point on a file -P can name, `when` = 1, 2, ... up to one past the largest
 * per-thread index the traced run saw (the last lets the writer complete without a kill); for a
 * write point on a run-time name (a random temp file, a rename), its index among all calls of
 * that syscall on its thread, unfiltered (the kill run's log shows which call it hit).
 */
export function injections(events: readonly TraceEvent[], home: string): Injection[] {
  const calls = authCalls(events, home);
  const stableWrites = calls.filter((c) => c.writes && c.point.when > 0);
  const syscalls = [...new Set(stableWrites.map((c) => c.point.syscall))];
  const byPaths = syscalls.flatMap((syscall) => {
    const most = Math.max(...calls.filter((c) => c.point.syscall === syscall).map((c) => c.point.when));
    return Array.from({ length: most + 1 }, (_, i): Injection => ({ syscall, when: i + 1, count: 'paths' }));
  });
  const seen = new Set<string>();
  const byAll = calls
    .filter((c) => c.writes && c.point.when === 0)
    .map((c): Injection => ({ syscall: c.point.syscall, when: c.point.whenAll, count: 'all' }))
    .filter((i) => !seen.has(`${i.syscall}:${i.when}`) && seen.add(`${i.syscall}:${i.when}`) !== undefined);
  return [...byPaths, ...byAll];
}

/**
 * In a kill run's log: the call that never returned (the injected kill), if any, and whether it
 * writes an auth file; with `syscall` (the injection's), the last unfinished call of it.
 */
export function hitCall(events: readonly TraceEvent[], home: string, syscall?: TracedSyscall): { readonly label: string; readonly writes: boolean } | undefined {
  // Every thread caught inside a traced call by the kill leaves one that never returned; the injected one is a call of the injection's syscall.
  const unfinished = [...events].reverse().filter((e) => e.result === '?');
  const last = unfinished.find((e) => e.syscall === syscall) ?? unfinished[0];
  if (last === undefined) return undefined;
  const mine = authCalls(events, home).find((c) => c.event === last);
  return mine === undefined ? { label: `${label(last)} (not an auth file)`, writes: false } : { label: mine.point.label, writes: mine.writes };
}

/**
 * For a kill run that was to hit a write point on a run-time name (counted among all calls of
 * its syscall on the thread) and hit another call: the next index to try. The index moves between
 * runs (other calls of the syscall on that thread, a socket's or an eventfd's writes, vary), so
 * the log says which way: if a writing call of that syscall on such a file already returned, the
 * kill came too late (one lower), else too early (one higher). `stable`: the base names of the
 * files -P can name (filterableFiles of the traced run). Undefined once both neighbours
 * were tried or the index would fall below 1.
 */
export function nextUnstableWhen(events: readonly TraceEvent[], home: string, injection: Injection, stable: ReadonlySet<string>, tried: ReadonlySet<number>): number | undefined {
  // A run cut off before the rename does not show the temp name as run-time: it is any auth file the traced run could name ahead (`stable`, base names) is not.
  const passed = authCalls(events, home).some((c) => c.writes && c.point.syscall === injection.syscall && c.event.result !== '?' && c.event.paths.some((p) => isAuthFile(p, home) && !stable.has(basename(p))));
  const next = injection.when + (passed ? -1 : 1);
  return next < 1 || tried.has(next) ? undefined : next;
}
