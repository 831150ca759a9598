import { reject, type Rejection } from './rejection.js';

/** RFC 3339 to the second in UTC with `Z`, as codex-rs/agent-identity/src/lib.rs formats it. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export function checkTimestamp(timestamp: string, nowMs: number, skewSeconds: number): Rejection | undefined {
  const at = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(at)) {
    return reject(401, 'timestamp_invalid', 'The timestamp is not RFC 3339 UTC to the second (YYYY-MM-DDTHH:MM:SSZ).');
  }
  if (Math.abs(nowMs - at) > skewSeconds * 1000) {
    return reject(401, 'timestamp_skew', `The timestamp is more than ${skewSeconds}s away from the backend clock.`);
  }
  return undefined;
}
