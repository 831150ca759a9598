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

export function runEntry(name: string, main: () => Promise<number>, exits: EntryExits): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      const f = entryFailure(name, e, exits);
      process.stderr.write(f.line);
      process.exit(f.code);
    },
  );
}
