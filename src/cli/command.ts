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
}
