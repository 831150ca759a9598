import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
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
