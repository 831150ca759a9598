import type { ObservedRequest } from '../rules/observed-request.js';
import { fingerprint } from './fingerprint.js';

/**
 * The raw credential values a request carried (credential header values, their token part after
 * the scheme, credential-like query values), for scrubbing anything shown about the request:
 * a client may put a credential where no redaction looks for one (a runtime id sent as a Bearer
 * token is also a URL path segment), so every string shown is cleaned of these values.
 */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'openai-api-key', 'agentassertion', 'agent-assertion', 'cookie', 'set-cookie', 'x-codex-connectors-token']);
const SECRET_QUERY = /token|key|secret|password|assertion|code/i;
/** What a buggy client sends instead of a credential: shown as sent, not a secret. */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['undefined', '[object Object]']);
/** Shorter values are not worth matching (and would match ordinary text). */
const MIN_SECRET_CHARS = 8;

export function requestSecrets(entries: readonly ObservedRequest[]): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    for (const [name, value] of Object.entries(entry.headers)) {
      if (!SECRET_HEADERS.has(name.toLowerCase())) continue;
      out.push(value);
      const space = value.indexOf(' ');
      if (space > 0) out.push(value.slice(space + 1));
    }
    try {
      for (const [key, value] of new URL(entry.url).searchParams) if (SECRET_QUERY.test(key)) out.push(value, encodeURIComponent(value));
    } catch {
      // not a URL: nothing to take from it
    }
  }
  // Longest first, so a token inside a header value is replaced whole.
  return [...new Set(out.map((s) => s.trim()))].filter((s) => s.length >= MIN_SECRET_CHARS && !PLACEHOLDERS.has(s) && !/^(?:[A-Za-z-]+ )?fp:[0-9a-f]{12}$/.test(s)).sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret, in every string (keys included) of a JSON value, by its fingerprint. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return secrets.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(fingerprint(secret)) : text), v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [walk(k) as string, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
