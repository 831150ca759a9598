import { lookup } from 'node:dns/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConformanceInputError } from '../../errors.js';
import { nonLoopbackAddresses } from './isolation-guard.js';
import { PRODUCTION_HOSTS } from './production-hosts.js';
import { createRunCertificates } from './run-certificates.js';

/**
 * Impersonating the production hosts for a process run inside the loopback-only namespace, as
 * the real-CLI runs do (src/harness/codex-cli/: production-hosts.ts maps the hosts to 127.0.0.1
 * there, run-certificates.ts makes a CA for the run): a leaf for every production host, signed by
 * a CA made for this run, which the mock serves on 127.0.0.1:443; and the environment that makes
 * a client trust that CA (Node: NODE_EXTRA_CA_CERTS; Python and OpenSSL-based clients:
 * SSL_CERT_FILE, REQUESTS_CA_BUNDLE; the codex binary: CODEX_CA_CERTIFICATE). A client that sends
 * a request to a default host then reaches the journal instead of failing to connect.
 *
 * Refused (BAD_CONFIG) unless this process runs where only loopback exists and chatgpt.com
 * resolves to 127.0.0.1: a CA the client trusts must never be usable on a real network.
 */
export interface ProductionImpersonation {
  readonly caCertPath: string;
  readonly tls: { readonly key: string; readonly cert: string };
  /** Environment for the client process (no secrets: the CA key is already deleted). */
  readonly env: Readonly<Record<string, string>>;
  /** Removes the certificate directory. */
  dispose(): Promise<void>;
}

export function caTrustEnv(caCertPath: string): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: caCertPath,
    SSL_CERT_FILE: caCertPath,
    REQUESTS_CA_BUNDLE: caCertPath,
    CODEX_CA_CERTIFICATE: caCertPath,
  };
}

export interface LoopbackCheck {
  readonly addresses?: () => readonly string[];
  readonly resolve?: (host: string) => Promise<string>;
}

/** Throws BAD_CONFIG unless the network is loopback only and the production hosts map to 127.0.0.1. */
export async function assertLoopbackWithProductionHosts(check: LoopbackCheck = {}): Promise<void> {
  const refuse = (what: string): never => {
    throw new ConformanceInputError(
      'BAD_CONFIG',
      `Refusing to impersonate the production hosts: ${what}.`,
      'Run drivers through `codex-auth-conformance run --impl driver:...`; it re-executes itself inside a loopback-only network namespace with the production hosts mapped to 127.0.0.1.',
    );
  };
  const stray = (check.addresses ?? (() => nonLoopbackAddresses()))();
  if (stray.length > 0) refuse(`the network has non-loopback addresses (${stray.join(', ')})`);
  const resolve = check.resolve ?? (async (h: string) => (await lookup(h, { family: 4 })).address);
  let address: string;
  try {
    address = await resolve('chatgpt.com');
  } catch {
    return refuse('chatgpt.com does not resolve (no hosts file maps it to 127.0.0.1)');
  }
  if (address !== '127.0.0.1') refuse(`chatgpt.com resolves to ${address}, not 127.0.0.1`);
}

export async function prepareProductionImpersonation(opts: { readonly workDir?: string; readonly check?: LoopbackCheck } = {}): Promise<ProductionImpersonation> {
  await assertLoopbackWithProductionHosts(opts.check);
  const dir = opts.workDir ?? (await mkdtemp(join(tmpdir(), 'cac-run-ca-')));
  try {
    const certs = await createRunCertificates(dir, PRODUCTION_HOSTS);
    const [key, cert] = await Promise.all([readFile(certs.leafKeyPath, 'utf8'), readFile(certs.leafCertPath, 'utf8')]);
    return {
      caCertPath: certs.caCertPath,
      tls: { key, cert },
      env: caTrustEnv(certs.caCertPath),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
