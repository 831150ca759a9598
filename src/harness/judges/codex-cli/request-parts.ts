/**
 * Small readings of one journalled request that the codex-cli judges share (pure): served or not,
 * its bearer's fingerprint, its URL's host and path (a URL that does not parse reads as '' / itself).
 */
import type { ObservedRequest } from '../../../rules/observed-request.js';

export const isOk = (e: ObservedRequest): boolean => e.verdict.status >= 200 && e.verdict.status < 300;

export const bearerFp = (e: ObservedRequest): string | undefined => (e.credential.kind === 'bearer' ? e.credential.fingerprint : undefined);

export function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

export function path(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
