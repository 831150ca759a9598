import { ConformanceInputError } from '../../errors.js';

/**
 * How a driver broke the protocol. `driverError` is the one caught failure (the driver answered
 * with an `error` response); every other kind is uncaught and makes the adapter restart the driver.
 */
export const DRIVER_FAILURES = [
  'spawnFailed',
  'crashed',
  'timeout',
  'invalidJson',
  'wrongSeq',
  'malformed',
  'schema',
  'unsolicited',
  'versionMismatch',
  'writeFailed',
  'driverError',
  'gaveUp',
] as const;
export type DriverFailure = (typeof DRIVER_FAILURES)[number];

/** A typed DRIVER_PROTOCOL error naming what the driver did wrong and how to fix it. */
export class DriverProtocolError extends ConformanceInputError {
  readonly failure: DriverFailure;
  /** Newest stderr of the driver when known (never parsed, may hold secrets: do not print raw). */
  stderrTail = '';
  constructor(failure: DriverFailure, problem: string, fix: string, options?: { cause?: unknown }) {
    super('DRIVER_PROTOCOL', problem, fix, options);
    this.failure = failure;
  }
}

export function isDriverProtocolError(e: unknown): e is DriverProtocolError {
  return e instanceof DriverProtocolError;
}
