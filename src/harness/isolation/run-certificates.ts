import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConformanceInputError } from '../../errors.js';
import { PRODUCTION_HOSTS, isHostName } from './production-hosts.js';

const run = promisify(execFile);

/**
 * A CA made for one run and a leaf certificate for the production host names, so the real
 * binary talks TLS to the mock on 127.0.0.1:443 inside the namespace. The binary trusts the CA
 * through CODEX_CA_CERTIFICATE / SSL_CERT_FILE (both read by 0.171.0; see the facts page §9).
 * Made with the openssl CLI (Node has no X.509 writer); the CA key is deleted after signing so
 * the CA can vouch for nothing else.
 */
export interface RunCertificates {
  readonly dir: string;
  readonly caCertPath: string;
  readonly leafCertPath: string;
  readonly leafKeyPath: string;
  readonly caCertPem: string;
  readonly leafCertPem: string;
  readonly leafKeyPem: string;
}

/** The v3 extensions of the leaf: server auth for every host and for 127.0.0.1. */
export function renderLeafExtensions(hosts: readonly string[]): string {
  if (hosts.length === 0) {
    throw new ConformanceInputError('BAD_CONFIG', 'A run certificate needs at least one host name.', 'Pass the hosts the mock serves, e.g. PRODUCTION_HOSTS.');
  }
  for (const host of hosts) {
    if (!isHostName(host)) {
      throw new ConformanceInputError('BAD_CONFIG', `"${host}" cannot be a certificate subject name.`, 'Pass lower-case DNS names without scheme or port.');
    }
  }
  const san = [...new Set(hosts)].map((h) => `DNS:${h}`).concat('IP:127.0.0.1').join(',');
  return [
    `subjectAltName=${san}`,
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    '',
  ].join('\n');
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await run('openssl', [...args], { cwd });
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConformanceInputError(
      'BAD_CONFIG',
      missing ? 'The openssl command is not installed.' : `openssl ${args[0] ?? ''} failed.`,
      missing ? 'Install it (Debian/Ubuntu: apt-get install openssl).' : 'Check that the run directory is writable.',
      { cause: e },
    );
  }
}

export async function createRunCertificates(
  dir: string,
  hosts: readonly string[] = PRODUCTION_HOSTS,
  days = 2,
): Promise<RunCertificates> {
  const ext = renderLeafExtensions(hosts);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(
    ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', String(days),
      '-subj', '/CN=codex-auth-conformance run CA',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  await openssl(['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${hosts[0] ?? 'localhost'}`], dir);
  await writeFile(join(dir, 'leaf.ext'), ext);
  await openssl(
    ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', 'leaf.pem', '-days', String(days), '-extfile', 'leaf.ext'],
    dir,
  );
  await Promise.all(['ca.key', 'ca.srl', 'leaf.csr', 'leaf.ext'].map((f) => rm(join(dir, f), { force: true })));
  const caCertPath = join(dir, 'ca.pem');
  const leafCertPath = join(dir, 'leaf.pem');
  const leafKeyPath = join(dir, 'leaf.key');
  const [caCertPem, leafCertPem, leafKeyPem] = await Promise.all(
    [caCertPath, leafCertPath, leafKeyPath].map((p) => readFile(p, 'utf8')),
  );
  return { dir, caCertPath, leafCertPath, leafKeyPath, caCertPem: caCertPem!, leafCertPem: leafCertPem!, leafKeyPem: leafKeyPem! };
}
