import type { DriverProtocolError } from './driver-error.js';
import type { DriverCommand } from './protocol.js';

/**
 * The events a driver session records for diagnosis (each uncaught failure, each restart, giving
 * up) and the one line that reports a failure to the session's `onFailure` hook.
 */
export type DriverEvent =
  | { readonly kind: 'uncaught'; readonly command: DriverCommand; readonly error: DriverProtocolError }
  | { readonly kind: 'restarted'; readonly attempt: number }
  | { readonly kind: 'gaveUp'; readonly restarts: number };

/** A failure event: what `onFailure` is told about (a restart is not a failure). */
export type DriverFailureEvent = Exclude<DriverEvent, { readonly kind: 'restarted' }>;

/** What failed, in a few words: the command, the error and its failure kind, or the give-up. */
export function failedWhat(event: DriverFailureEvent): string {
  return event.kind === 'uncaught' ? `${event.command}: ${event.error.message} [${event.error.failure}]` : `gave up after ${event.restarts} restart(s)`;
}

/** The line `onFailure` reports: the failure, the restarts so far and an excerpt of stderr (already redacted). */
export function driverFailureLine(what: string, restarts: number, stderr: string): string {
  return `driver protocol error at ${what}${restarts > 0 ? `; ${restarts} restart(s) so far` : ''}${stderr === '' ? '; no stderr' : `; stderr: ${stderr.replace(/\s*\n\s*/g, ' | ')}`}`;
}
