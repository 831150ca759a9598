import { readdir, readFile } from 'node:fs/promises';

/**
 * Processes a codex binary left running from inside its CODEX_HOME. From about 0.159 the
 * interactive TUI talks to a background app-server daemon: it copies the binary to
 * `$CODEX_HOME/packages/app-server-daemon/releases/<version>/bin/codex` and starts it detached
 * (`codex app-server --listen unix://…` and an updater loop, their own sessions, parent 1;
 * the pid files are in `$CODEX_HOME/app-server-daemon/`). Ending the TUI does not end them. The
 * harness started them (through the TUI), so it ends them by id when the actor stops: every
 * process whose executable path (argv[0]) lies under the scratch home.
 */
export interface ProcessEntry {
  readonly pid: number;
  /** argv, as /proc/<pid>/cmdline holds it. */
  readonly argv: readonly string[];
}

/** The processes started from a binary under `dir` (pure). */
export function processesUnder(entries: readonly ProcessEntry[], dir: string): number[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  if (!dir.startsWith('/') || prefix.length < 6) throw new TypeError(`processesUnder: "${dir}" is not an absolute scratch directory`);
  return entries.filter((e) => e.pid !== process.pid && (e.argv[0] ?? '').startsWith(prefix)).map((e) => e.pid);
}

async function listProcesses(): Promise<ProcessEntry[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return [];
  }
  const out: ProcessEntry[] = [];
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const raw = await readFile(`/proc/${n}/cmdline`, 'utf8');
      out.push({ pid: Number(n), argv: raw.split('\0').filter((x) => x !== '') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Ends (SIGKILL) every process started from a binary under `dir`; returns how many. */
export async function reapProcessesUnder(dir: string): Promise<number> {
  const pids = processesUnder(await listProcesses(), dir);
  let n = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
      n += 1;
    } catch {
      // already gone
    }
  }
  return n;
}
