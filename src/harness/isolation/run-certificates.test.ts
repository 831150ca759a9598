import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isInputError } from '../../errors.js';
import { PRODUCTION_HOSTS } from './production-hosts.js';
import { createRunCertificates, renderLeafExtensions } from './run-certificates.js';
import { tempDir } from '../../testing/temp-dirs.js';

describe('renderLeafExtensions', () => {
  it('names every host and 127.0.0.1 as subject alternative names', () => {
    const ext = renderLeafExtensions(['chatgpt.com', 'auth.openai.com']);
    expect(ext).toContain('subjectAltName=DNS:chatgpt.com,DNS:auth.openai.com,IP:127.0.0.1\n');
    expect(ext).toContain('extendedKeyUsage=serverAuth');
    expect(ext).toContain('CA:FALSE');
  });

  it('refuses an empty host list and a name that could inject an extension', () => {
    for (const hosts of [[], ['chatgpt.com\nbasicConstraints=CA:TRUE']]) {
      try {
        renderLeafExtensions(hosts);
        expect.unreachable();
      } catch (e) {
        expect(isInputError(e) && e.code).toBe('BAD_CONFIG');
      }
    }
  });
});

describe('createRunCertificates', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('issues a leaf for every production host, signed by the run CA, and drops the CA key', async () => {
    const dir = await tempDir('codex-ca-');
    dirs.push(dir);
    const certs = await createRunCertificates(dir);
    const ca = new X509Certificate(certs.caCertPem);
    const leaf = new X509Certificate(certs.leafCertPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    for (const host of PRODUCTION_HOSTS) expect(leaf.checkHost(host)).toBe(host);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('example.com')).toBeUndefined();
    const pub = createPublicKey(createPrivateKey(certs.leafKeyPem)).export({ format: 'der', type: 'spki' });
    expect(Buffer.compare(pub, leaf.publicKey.export({ format: 'der', type: 'spki' }))).toBe(0);
    expect(existsSync(join(dir, 'ca.key'))).toBe(false);
  });

  it('makes a different CA on every run', async () => {
    const a = await tempDir('codex-ca-');
    const b = await tempDir('codex-ca-');
    dirs.push(a, b);
    const [ca1, ca2] = await Promise.all([createRunCertificates(a, ['chatgpt.com']), createRunCertificates(b, ['chatgpt.com'])]);
    expect(new X509Certificate(ca1.caCertPem).fingerprint256).not.toBe(new X509Certificate(ca2.caCertPem).fingerprint256);
  });
});
