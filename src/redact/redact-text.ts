import { fingerprint } from './fingerprint.js';

/**
 * Fingerprints whatever looks like a credential in free text a foreign process printed (a
 * driver's stderr, an error message), before it reaches a report: the secrets the harness knows
 * it handed out, then anything shaped like one (a JWT, the value after `Bearer` /
 * `AgentAssertion`, `sk-` style API keys, PEM blocks, long opaque tokens). Over-redacting an id
 * is the accepted price of never printing a secret.
 */
const PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g,
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /\b(?:sk|rk|pk|sess|rt|at)[-_][A-Za-z0-9_-]{8,}/g,
];
/** A long opaque run (letters and digits mixed), not a UUID (account ids stay readable) nor a hyphenated word chain. */
const OPAQUE = /\b[A-Za-z0-9_-]{32,}\b/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function opaque(run: string): boolean {
  return /\d/.test(run) && /[A-Za-z]/.test(run) && !UUID.test(run);
}
const SCHEMES = /\b(Bearer|AgentAssertion|Basic)\s+([^\s"',;]{8,})/g;
const ALREADY = /^fp:[0-9a-f]{12}$/;

export function redactText(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const s of [...known].filter((x) => x.length >= 8).sort((a, b) => b.length - a.length)) out = out.split(s).join(fingerprint(s));
  out = out.replace(SCHEMES, (_m, scheme: string, value: string) => `${scheme} ${ALREADY.test(value) ? value : fingerprint(value)}`);
  for (const p of PATTERNS) out = out.replace(p, (m) => (ALREADY.test(m) ? m : fingerprint(m)));
  return out.replace(OPAQUE, (m) => (opaque(m) ? fingerprint(m) : m));
}

/** The last `max` characters of text (on a line boundary when one is near), ANSI colours removed, secrets fingerprinted. */
export function redactedExcerpt(text: string, max = 400, known: readonly string[] = []): string {
  // eslint-disable-next-line no-control-regex
  const plain = redactText(text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''), known).trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(plain.length - max);
  const nl = cut.indexOf('\n');
  return `…${nl >= 0 && nl < max / 2 ? cut.slice(nl + 1) : cut}`;
}
