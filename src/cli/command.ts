/** One CLI command: its name, a one-line summary, its usage line, and the action (exit code). */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

export interface CommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * A transient status line (progress), present only when stderr is a terminal; `''` clears it.
   * Commands must not rely on it: it is absent in tests, pipes and CI logs.
   */
  readonly status?: (text: string) => void;
  /**
   * Called by a command once every input is checked and before any work starts (a run, a
   * process, a socket, a file written). Answering `'stop'` ends the command there with exit 0:
   * the CLI property test (src/cli/cli.fuzz.test.ts) drives every command this way without ever
   * starting real work.
   */
  readonly checkpoint?: (stage: 'validated') => 'stop' | undefined;
}

/** True when the caller asked to stop once the inputs are checked (see `CommandIo.checkpoint`). */
export function stopAfterValidation(io: CommandIo): boolean {
  return io.checkpoint?.('validated') === 'stop';
}
