import { ConformanceInputError } from '../../errors.js';

/**
 * Host names the published codex binary (0.171.0) may contact, found with `strings` on the
 * linux-x64 binary and in the source (default base URLs in codex-rs/login/src/auth/manager.rs,
 * codex-rs/login/src/auth/agent_identity.rs, `normalize_chatgpt_base_url`). Inside the run's
 * network namespace every one of them resolves to 127.0.0.1, so whatever the binary tries lands
 * on the mock (or on a closed loopback port), never on the internet. The staging hosts are among
 * them like the production ones (issue 20): `chatgpt-staging.com` (a configured staging base) and
 * `auth.api.openai.org`, where agent identity registers tasks for a staging base
 * (`ChatGptEnvironment::Staging`, codex-rs/agent-identity/src/lib.rs at rust-v0.171.0).
 */
export const PRODUCTION_HOSTS = [
  'chatgpt.com',
  'chat.openai.com',
  'api.chatgpt.com',
  'ab.chatgpt.com',
  'gov.chatgpt.com',
  'codex-cloud-backend.chatgpt.com',
  'auth.openai.com',
  'api.openai.com',
  'gov.api.openai.com',
  'codex-portals.api.openai.com',
  'persistent.oaistatic.com',
  'chatgpt-staging.com',
  'api.chatgpt-staging.com',
  'auth.api.openai.org',
  'o33249.ingest.us.sentry.io',
] as const;
export type ProductionHost = (typeof PRODUCTION_HOSTS)[number];

/** Hosts the mock must answer on with TLS (the others are only blackholed to loopback). */
export const SERVED_HOSTS = ['chatgpt.com', 'auth.openai.com', 'api.openai.com'] as const;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** True for a lower-case DNS name of at least two labels (no IPs, no wildcards, no ports). */
export function isHostName(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1) ?? '');
}

/**
 * Renders an /etc/hosts file mapping every host to 127.0.0.1 (and keeping `localhost` working
 * for both families). Throws BAD_CONFIG for a name that is not a plain host name, because a
 * stray space or newline would silently inject another mapping.
 */
export function renderHostsFile(hosts: readonly string[] = PRODUCTION_HOSTS, address = '127.0.0.1'): string {
  if (!/^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(address) || address.split('.').some((n) => Number(n) > 255)) {
    throw new ConformanceInputError('BAD_CONFIG', `"${address}" is not a loopback IPv4 address.`, 'Map the hosts to an address in 127.0.0.0/8.');
  }
  const seen = new Set<string>();
  for (const host of hosts) {
    if (!isHostName(host)) {
      throw new ConformanceInputError(
        'BAD_CONFIG',
        `"${host}" is not a host name that can go into a hosts file.`,
        'Pass lower-case DNS names such as "chatgpt.com" (no scheme, port, path or spaces).',
      );
    }
    seen.add(host);
  }
  const lines = ['127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback'];
  for (const host of seen) lines.push(`${address} ${host}`);
  return `${lines.join('\n')}\n`;
}

/** A resolv.conf that points at loopback, so a name missing from the hosts file fails fast. */
export function renderResolvConf(): string {
  return 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n';
}
