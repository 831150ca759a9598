import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { namespacesAvailable } from './isolated-run.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() } };
}

describe('drivers run in a loopback-only network namespace', () => {
  it('a driver that tries a non-loopback address fails before any packet leaves, and the run reports it', async () => {
    const c = capture();
    const code = await main(['run', '--impl', 'driver:node examples/drivers/broken/network-escape.mjs', '--rules', 'URL.PATH', '--runs', '40', '--seed', '2'], c.io);
    if (await namespacesAvailable()) {
      expect(code).toBe(1);
      expect(c.err.join('\n')).toMatch(/inside a network namespace with only loopback up/);
      // The connect fails in the namespace (no route), it is not refused by the driver's own guard.
      expect(c.out.join('\n')).toMatch(/the implementation reported: connect (ENETUNREACH|EHOSTUNREACH|EACCES) 192\.0\.2\.1:443/);
      expect(c.out.join('\n')).not.toMatch(/not isolated|isolation failed|timed out/);
    } else {
      // Without namespace rights the driver is not started at all unless the user accepts it.
      expect(code).toBe(2);
      expect(c.err.join('\n')).toMatch(/error \[NETWORK_REFUSED\].*--allow-network/);
    }
  }, 120_000);
});

describe('driver runs impersonate the production hosts like the real-CLI runs', () => {
  it('URL.AGENT.002 a driver that fetches the JWKS from https://chatgpt.com is judged by URL.AGENT.002, not "no request"', async () => {
    const c = capture();
    const code = await main(['run', '--impl', 'driver:node examples/drivers/broken/default-host.mjs jwks', '--rules', 'URL.AGENT.002', '--runs', '1', '--seed', '2'], c.io);
    if (await namespacesAvailable()) {
      const out = c.out.join('\n');
      expect(code).toBe(1);
      expect(out).toMatch(/FAIL URL\.AGENT\.002/);
      // The request reached the mock over TLS (run CA) and was journaled at its production URL.
      expect(out).toMatch(/actual: +https:\/\/chatgpt\.com\/backend-api\/wham\/agent-identities\/jwks/);
      expect(out).toMatch(/fetched the JWKS from the default host \(HTTP 200\)/);
      expect(out).not.toMatch(/no request at all|not isolated|ECONNREFUSED|self[- ]signed|UNABLE_TO_VERIFY/);
    } else {
      expect(code).toBe(2);
    }
  }, 120_000);

  it('URL.BASE.003 a driver that sends Codex Apps MCP to https://chatgpt.com is judged by the URL rules', async () => {
    const c = capture();
    const code = await main(['run', '--impl', 'driver:node examples/drivers/broken/default-host.mjs apps', '--rules', 'URL.BASE.003', '--runs', '1', '--seed', '3'], c.io);
    if (await namespacesAvailable()) {
      const out = c.out.join('\n');
      expect(code).toBe(1);
      expect(out).toMatch(/FAIL URL\.BASE\.003/);
      expect(out).toMatch(/got POST https:\/\/chatgpt\.com\/backend-api\/ps\/mcp/);
    } else {
      expect(code).toBe(2);
    }
  }, 120_000);
});
