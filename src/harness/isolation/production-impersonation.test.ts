import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { assertLoopbackWithProductionHosts, caTrustEnv, prepareProductionImpersonation } from './production-impersonation.js';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof ConformanceInputError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('production-host impersonation for driver runs', () => {
  it('makes Node, Python/OpenSSL and the codex binary trust the run CA', () => {
    expect(caTrustEnv('/run/ca.pem')).toEqual({
      NODE_EXTRA_CA_CERTS: '/run/ca.pem',
      SSL_CERT_FILE: '/run/ca.pem',
      REQUESTS_CA_BUNDLE: '/run/ca.pem',
      CODEX_CA_CERTIFICATE: '/run/ca.pem',
    });
  });

  it('passes only where the network is loopback only and chatgpt.com resolves to 127.0.0.1', async () => {
    const loopback = { addresses: () => [], resolve: async () => '127.0.0.1' };
    await expect(assertLoopbackWithProductionHosts(loopback)).resolves.toBeUndefined();
    expect(await codeOf(assertLoopbackWithProductionHosts({ ...loopback, addresses: () => ['eth0 10.0.0.2'] }))).toBe('BAD_CONFIG');
    expect(await codeOf(assertLoopbackWithProductionHosts({ ...loopback, resolve: async () => '104.18.32.47' }))).toBe('BAD_CONFIG');
    expect(await codeOf(assertLoopbackWithProductionHosts({ ...loopback, resolve: async () => Promise.reject(new Error('ENOTFOUND')) }))).toBe('BAD_CONFIG');
  });

  it('never makes a CA outside the namespace (the host network is refused before anything is written)', async () => {
    expect(await codeOf(prepareProductionImpersonation({ check: { addresses: () => ['eth0 192.0.2.7'], resolve: async () => '127.0.0.1' } }))).toBe('BAD_CONFIG');
  });

  it('with the checks met, yields a leaf for the production hosts and a CA path in the env', async () => {
    const imp = await prepareProductionImpersonation({ check: { addresses: () => [], resolve: async () => '127.0.0.1' } });
    try {
      expect(imp.tls.cert).toMatch(/BEGIN CERTIFICATE/);
      expect(imp.tls.key).toMatch(/PRIVATE KEY/);
      expect(imp.env['NODE_EXTRA_CA_CERTS']).toBe(imp.caCertPath);
      const { X509Certificate } = await import('node:crypto');
      const leaf = new X509Certificate(imp.tls.cert);
      expect(leaf.checkHost('chatgpt.com')).toBe('chatgpt.com');
      expect(leaf.checkHost('auth.openai.com')).toBe('auth.openai.com');
      const { readFile } = await import('node:fs/promises');
      expect(leaf.verify(new X509Certificate(await readFile(imp.caCertPath)).publicKey)).toBe(true);
    } finally {
      await imp.dispose();
    }
  });
});
