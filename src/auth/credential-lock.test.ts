import { mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIAL_LOCK_FILE, CredentialLockTimeoutError, withCredentialLock } from './credential-lock.js';

const homes: string[] = [];
const home = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'credential-lock-'));
  homes.push(dir);
  return dir;
};
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

describe('credential lock (auth.json.lock)', () => {
  it('serializes holders in one CODEX_HOME and removes the sidecar afterwards', async () => {
    const dir = home();
    const order: string[] = [];
    const hold = (name: string) =>
      withCredentialLock(dir, async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 10));
        order.push(`${name}-`);
      });
    await Promise.all([hold('a'), hold('b')]);
    expect(order.join(' ')).toMatch(/^(a\+ a- b\+ b-|b\+ b- a\+ a-)$/);
    expect(existsSync(join(dir, CREDENTIAL_LOCK_FILE))).toBe(false);
  });

  it('gives up with a typed error when another holder keeps the lock, and takes over a stale one', async () => {
    const dir = home();
    const lock = join(dir, CREDENTIAL_LOCK_FILE);
    writeFileSync(lock, '');
    await expect(withCredentialLock(dir, async () => 1, { timeoutMs: 30 })).rejects.toBeInstanceOf(CredentialLockTimeoutError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    await expect(withCredentialLock(dir, async () => 2, { timeoutMs: 30 })).resolves.toBe(2);
  });

  it('runs unlocked when CODEX_HOME does not exist', async () => {
    await expect(withCredentialLock(join(home(), 'missing'), async () => 3)).resolves.toBe(3);
  });
});
