import { networkInterfaces } from 'node:os';
import { ConformanceInputError } from '../errors.js';

/**
 * Nothing leaves loopback unless the user says so (`--allow-network`). Every command that could
 * send a request checks each destination here BEFORE it opens a socket: a literal loopback host
 * (`localhost`, `127.0.0.0/8`, `::1`) is always allowed; any other host only with
 * `--allow-network`, or when this process runs in a network namespace whose only interfaces are
 * loopback (there, no other host is reachable whatever a name resolves to).
 */
export interface NetworkPolicy {
  readonly allowNetwork: boolean;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(h);
}

/** True when every network interface of this process is a loopback one (a loopback-only namespace). */
export function loopbackOnlyNetwork(): boolean {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return all.length > 0 && all.every((a) => a.internal);
}

/** Throws a typed NETWORK_REFUSED error unless `url` may be contacted under `policy`. */
export function checkDestination(url: string | URL, policy: NetworkPolicy, what: string): void {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch (e) {
    throw new ConformanceInputError('BAD_URL', `${what}: ${JSON.stringify(String(url).slice(0, 200))} is not a URL.`, 'pass an absolute http(s) URL.', { cause: e });
  }
  if (policy.allowNetwork || isLoopbackHost(parsed.hostname) || loopbackOnlyNetwork()) return;
  throw new ConformanceInputError(
    'NETWORK_REFUSED',
    `${what} would contact ${parsed.origin}, which is not a loopback host; nothing was sent.`,
    'point it at a local mock (codex-auth-conformance serve prints its base URLs), or pass --allow-network if you mean to contact that host.',
  );
}

/** `fetch` that refuses non-loopback destinations before any socket is opened. */
export function guardedFetch(policy: NetworkPolicy, what: string, inner: typeof fetch = (input, init) => globalThis.fetch(input, init)): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? input : input.url;
    checkDestination(url, policy, what);
    return inner(input, init);
  };
}
