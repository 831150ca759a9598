import { createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets are shown as keyed fingerprints: `fp:` + the first 12 hex digits of
 * HMAC-SHA256(key, secret). The key is random per process unless the run sets one (so two
 * reports of one run compare), which keeps fingerprints from being a dictionary oracle.
 */
let processKey: Buffer = randomBytes(32);

/** Recent fingerprints (the mock fingerprints the same bearer on every request); bounded, emptied with the key. */
const recent = new Map<string, string>();
const MAX_RECENT = 4096;

export function setFingerprintKey(key: string | Uint8Array): void {
  processKey = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  recent.clear();
}

export function fingerprint(secret: string): string {
  const known = recent.get(secret);
  if (known !== undefined) return known;
  const fp = `fp:${createHmac('sha256', processKey).update(secret, 'utf8').digest('hex').slice(0, 12)}`;
  if (recent.size >= MAX_RECENT) recent.clear();
  recent.set(secret, fp);
  return fp;
}

/** Shows a header value with its scheme kept and the credential fingerprinted. */
export function redactAuthorization(value: string): string {
  const space = value.indexOf(' ');
  if (space < 0) return fingerprint(value);
  return `${value.slice(0, space)} ${fingerprint(value.slice(space + 1))}`;
}
