import { ConformanceInputError } from '../../errors.js';

/**
 * How an entry re-executed inside the loopback-only namespace ends (in-netns-entry.ts,
 * crash/codex-crash-entry.ts, crash/client-crash-entry.ts): the exit code `main` resolves to;
 * on a throw, one stderr line `<name>: <what>` (the message of a ConformanceInputError, the stack
 * of anything else) and exit 2 for bad input or `otherExit` for any other error.
 */
export interface EntryExits {
  /** Exit code for an error that is not a ConformanceInputError (bad input always exits 2). */
  readonly otherExit: number;
}

export function entryFailure(name: string, e: unknown, exits: EntryExits): { readonly line: string; readonly code: number } {
  const what = e instanceof ConformanceInputError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { line: `${name}: ${what}\n`, code: e instanceof ConformanceInputError ? 2 : exits.otherExit };
}

/**
 * Resolves once everything written to `stream` so far is handed to the OS. A pipe's writes are
 * asynchronous, so `process.exit` right after a large write cuts it at the pipe buffer (64 KiB)
 * when the reader lags: the journals of a release that storms the token endpoint (0.23.0: 2,012
 * requests in one 45 s case) lost the run's `done` line that way.
 */
export function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}

export function runEntry(name: string, main: () => Promise<number>, exits: EntryExits): void {
  const exit = (code: number): void => {
    void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code));
  };
  main().then(
    (code) => exit(code),
    (e: unknown) => {
      const f = entryFailure(name, e, exits);
      process.stderr.write(f.line);
      exit(f.code);
    },
  );
}
