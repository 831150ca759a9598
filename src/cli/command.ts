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
}
