/**
 * What a driver session is configured with (driver-session.ts): timeouts, validation, the restart
 * budget, the driver's environment and the hooks that see each case served and each failure.
 */
export interface DriverSessionOptions {
  /** Longest wait for any one response. */
  readonly timeoutMs: number;
  /** Longest wait for the `start` response (interpreters can be slow to boot); default timeoutMs. */
  readonly startTimeoutMs?: number;
  /** Validate every message both ways against schemas/driver/v1/. */
  readonly validate?: boolean;
  /** How many times a session may restart its driver after uncaught failures. */
  readonly maxRestarts: number;
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stderrLimitBytes: number;
  readonly maxLineBytes: number;
  /**
   * Called at each `configure` with the case id and the case ids this driver process served
   * before it (since the process started; a `reset` does not clear it): what a failure of the
   * case may depend on when the process carries state across cases.
   */
  readonly onServe?: (caseId: string, servedBefore: readonly string[]) => void;
  /**
   * Called at each uncaught protocol failure (and when the session gives up) with the case it
   * happened in (undefined before the first `configure`) and a one-line description to compute
   * once the case is over (the driver's stderr arrives on its own pipe, after the failure): the
   * failure, the restarts, and an excerpt of the driver's stderr with secrets fingerprinted.
   */
  readonly onFailure?: (caseId: string | undefined, describe: () => string) => void;
}
