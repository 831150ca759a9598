import { fingerprint } from '../../redact/fingerprint.js';

/**
 * Replaces every occurrence of a known secret in text the binary printed (stderr tails, JSON-RPC
 * errors) by its keyed fingerprint, so evidence can be shown without leaking a credential.
 * Longest secrets first, so a secret that contains another is replaced whole.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((x) => x.length >= 8).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(fingerprint(s));
  }
  return out;
}

/** The last `max` characters of text, on a line boundary when possible, with ANSI colours removed. */
export function tail(text: string, max = 600): string {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(plain.length - max);
  const nl = cut.indexOf('\n');
  return `…${nl >= 0 && nl < max / 2 ? cut.slice(nl + 1) : cut}`;
}
