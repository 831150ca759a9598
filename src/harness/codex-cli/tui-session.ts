import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { scrubSecrets, tail } from '../isolation/scrub-secrets.js';
import { reapProcessesUnder } from './home-processes.js';
import { withHostsFile, type TurnOutcome } from './run-codex-turn.js';

/**
 * The interactive codex TUI as a black-box actor (a scenario's `codexTui`): `codex` with no
 * subcommand, under a pseudo-terminal from the base system (util-linux `script`, package bsdutils,
 * Essential in Debian, so present on node:20 images), started like the other codex actors (own
 * process group, the home's environment, inside the run's namespace with the case's hosts file).
 *
 * A pty needs someone at the other end: the TUI asks the terminal where the cursor is
 * (`ESC [ 6 n`), what it is (`ESC [ c`) and its colours (OSC 10/11) and waits for the answers, so
 * the session answers those as a plain xterm would (`terminalReplies`). The screen it draws is
 * kept only for diagnosis: escape sequences stripped, secrets scrubbed, the tail. What the TUI
 * did is judged from the mock's journal, never from the screen.
 */
export const TUI_ROWS = 40;
export const TUI_COLS = 120;

/** A POSIX shell word that stands for `value` literally (single quotes). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that runs `binaryPath args` under a pseudo-terminal of TUI_ROWS x TUI_COLS (pure):
 * `script -q -f -e -c '<cmd>' /dev/null` (quiet, flushed, the child's exit code, no typescript file).
 */
export function tuiLaunch(binaryPath: string, args: readonly string[], size: { readonly rows: number; readonly cols: number } = { rows: TUI_ROWS, cols: TUI_COLS }): { readonly command: string; readonly args: string[] } {
  if (!Number.isInteger(size.rows) || !Number.isInteger(size.cols) || size.rows < 10 || size.cols < 40) throw new TypeError(`tuiLaunch: a terminal of ${size.rows}x${size.cols} is too small (at least 10 rows, 40 columns)`);
  const cmd = `stty rows ${size.rows} cols ${size.cols} 2>/dev/null; exec ${[binaryPath, ...args].map(shellQuote).join(' ')}`;
  return { command: 'script', args: ['-qfec', cmd, '/dev/null'] };
}

/** argv of the interactive TUI (pure): no subcommand, no prompt (typed later), never the onboarding's login. */
export function tuiArgs(): string[] {
  return [];
}

/** The environment a terminal program expects, under the harness's own (pure). */
export function tuiEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return { TERM: 'xterm-256color', SHELL: '/bin/sh', LANG: 'C.UTF-8', ...env };
}

/** Terminal queries the TUI waits on, and an xterm's answer to each. */
const QUERIES: ReadonlyArray<{ readonly pattern: RegExp; readonly answer: (m: RegExpExecArray, size: { rows: number; cols: number }) => string }> = [
  // Device status report: the cursor position (crossterm `cursor::position`).
  { pattern: /\x1b\[6n/g, answer: () => '\x1b[1;1R' },
  // Primary device attributes (also ends crossterm's keyboard-enhancement probe: "not supported").
  { pattern: /\x1b\[0?c/g, answer: () => '\x1b[?1;2c' },
  // Default foreground / background colour (OSC 10/11 with `?`, ended by BEL or ST).
  { pattern: /\x1b\](1[01]);\?(?:\x07|\x1b\\)/g, answer: (m) => `\x1b]${m[1]};rgb:${m[1] === '10' ? 'ffff/ffff/ffff' : '0000/0000/0000'}\x1b\\` },
  // Text area size in characters.
  { pattern: /\x1b\[18t/g, answer: (_m, size) => `\x1b[8;${size.rows};${size.cols}t` },
];

/**
 * The answers to the queries in `chunk` (pure), in order. `carry` is the end of the previous
 * output (a query split across two reads); only queries that end inside `chunk` are answered.
 */
export function terminalReplies(carry: string, chunk: string, size: { readonly rows: number; readonly cols: number } = { rows: TUI_ROWS, cols: TUI_COLS }): string[] {
  const text = carry + chunk;
  const found: Array<{ readonly at: number; readonly answer: string }> = [];
  for (const q of QUERIES) {
    const re = new RegExp(q.pattern.source, 'g');
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m.index + m[0].length > carry.length) found.push({ at: m.index, answer: q.answer(m, size) });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.answer);
}

/** The screen output as text (pure): escape sequences and control characters removed. */
export function screenText(raw: string): string {
  return raw
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, ' ')
    .replace(/\x1b[@-_]/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    .replace(/[ \t]+/g, ' ');
}

export interface TuiSessionOptions {
  readonly binaryPath: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly hostsFile?: string;
  readonly path?: string;
  /** Scrubbed from the screen and stderr kept. */
  readonly secrets: () => readonly string[];
}

/** One running TUI. */
export class TuiSession {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  readonly #started = performance.now();
  readonly #secrets: () => readonly string[];
  readonly #home: string;
  #screen = '';
  #stderr = '';
  #carry = '';
  #replies = 0;
  #ended = false;

  constructor(opts: TuiSessionOptions) {
    const inner = tuiLaunch(opts.binaryPath, tuiArgs());
    const launch = opts.hostsFile === undefined ? inner : withHostsFile(opts.hostsFile, inner.command, inner.args);
    this.#secrets = opts.secrets;
    this.#home = opts.cwd;
    this.#child = spawn(launch.command, launch.args, {
      cwd: opts.cwd,
      env: { PATH: opts.path ?? '/usr/local/bin:/usr/bin:/bin', ...tuiEnv(opts.env) },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    }) as ChildProcessWithoutNullStreams;
    this.#child.stdout.setEncoding('utf8').on('data', (d: string) => {
      for (const r of terminalReplies(this.#carry, d)) {
        this.#replies += 1;
        if (!this.#ended) this.#child.stdin.write(r);
      }
      this.#carry = (this.#carry + d).slice(-32);
      this.#screen = (this.#screen + d).slice(-256 * 1024);
    });
    this.#child.stderr.setEncoding('utf8').on('data', (d: string) => (this.#stderr = (this.#stderr + d).slice(-64 * 1024)));
    this.#child.stdin.on('error', () => undefined);
    this.#exited = new Promise((resolve) => {
      this.#child.on('error', (e) => {
        // e.g. no `script` on the machine (util-linux; Debian's bsdutils package).
        this.#stderr += `cannot start ${launch.command}: ${e.message}\n`;
        this.#ended = true;
        resolve({ code: null, signal: null });
      });
      this.#child.on('exit', (code, signal) => {
        this.#ended = true;
        resolve({ code, signal });
      });
    });
  }

  /** True while the TUI runs. */
  get running(): boolean {
    return !this.#ended;
  }

  /** Terminal queries answered so far. */
  get replies(): number {
    return this.#replies;
  }

  /** The end of the screen, as text, scrubbed (diagnosis only). */
  screen(chars = 1200): string {
    return scrubSecrets(tail(screenText(this.#screen), chars), this.#secrets());
  }

  /** Types `text`, lets the composer take it (not a paste burst), then presses Enter. */
  async type(text: string): Promise<void> {
    if (this.#ended) return;
    for (const ch of text) {
      this.#child.stdin.write(ch);
      await sleep(15);
    }
    await sleep(400);
    if (!this.#ended) this.#child.stdin.write('\r');
  }

  /**
   * Ends the TUI: SIGKILL to the program under the pty (the child of `script`, in a session of its
   * own), then SIGTERM to `script` (which on its own waits 2 s between asking and killing) and
   * SIGKILL after 3 s; then the background app-server daemon it started from its home
   * (home-processes.ts).
   */
  async stop(): Promise<TurnOutcome> {
    const wasRunning = !this.#ended;
    // `script` ends as soon as its child has; only when it has not, ask it (its own path waits 2 s).
    if (await this.#killPtyChildren()) await Promise.race([this.#exited, sleep(1000)]);
    this.#signal('SIGTERM');
    const timer = setTimeout(() => this.#signal('SIGKILL'), 3000);
    const { code, signal } = await this.#exited;
    clearTimeout(timer);
    const reaped = await reapProcessesUnder(this.#home);
    const scrub = (t: string): string => scrubSecrets(t, this.#secrets());
    return {
      flow: 'tui',
      completed: wasRunning,
      exitCode: code,
      signal,
      timedOut: false,
      durationMs: Math.round(performance.now() - this.#started),
      stderrTail: scrub(tail(this.#stderr)),
      tui: { runningAtStop: wasRunning, terminalReplies: this.#replies, screenTail: this.screen(), daemonsEnded: reaped },
    };
  }

  /** SIGKILL to the children of `script`; true when one was signalled. */
  async #killPtyChildren(): Promise<boolean> {
    const pid = this.#child.pid;
    if (pid === undefined || this.#ended) return false;
    let children: string;
    try {
      children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    } catch {
      return false;
    }
    let killed = false;
    for (const c of children.split(/\s+/).filter((x) => /^\d+$/.test(x))) {
      try {
        process.kill(Number(c), 'SIGKILL');
        killed = true;
      } catch {
        // already gone
      }
    }
    return killed;
  }

  #signal(sig: NodeJS.Signals): void {
    if (this.#child.pid === undefined || this.#ended) return;
    try {
      process.kill(-this.#child.pid, sig);
    } catch {
      // already gone
    }
  }
}
