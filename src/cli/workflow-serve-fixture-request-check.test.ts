import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setFingerprintKey, fingerprint } from '../redact/fingerprint.js';
import { FINGERPRINT_KEY_ENV, resolveFingerprintKey } from '../redact/fingerprint-key.js';
import { main } from './main.js';
import { serveUntil, type ServeStarted } from './commands/serve.js';
import { tempDir } from '../testing/temp-dirs.js';

/**
 * The by-hand workflow of the README (serve, fixture, request, send, check) in one process:
 * `request` reads the config.toml `fixture` wrote (item: config), one credential has one `fp:`
 * in every command's output (stable fingerprints), and `check` fails a journal with an unknown
 * Bearer token and a literal `undefined` account header (the mock's verdict counts).
 */

function capture(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, cwd: process.cwd() }, out, err, text: () => [...out, ...err].join('\n') };
}

async function until(predicate: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function workflow(env: Record<string, string>) {
  const dir = await tempDir('cac-workflow-');
  const journal = join(dir, 'journal.ndjson');
  const home = join(dir, 'home');
  const serve = capture(env);
  const stop = new AbortController();
  // As `main` does for every command: the key from the environment (or the workspace).
  setFingerprintKey((await resolveFingerprintKey(env, process.cwd())).key);
  const done = serveUntil({ port: 0, journal }, serve.io, stop.signal);
  await until(() => serve.out.length > 0);
  const started = JSON.parse(serve.out[0]!) as ServeStarted;
  const fixture = capture(env);
  expect(await main(['fixture', '--mode', 'chatgpt', '--codex-home', home, '--base-url', started.chatgptBaseUrl, '--json'], fixture.io)).toBe(0);
  const fixed = JSON.parse(fixture.out.join('\n')) as { credential: string; account: { id: string } };
  // No --chatgpt-base-url: request takes it from the config.toml fixture wrote.
  const request = capture(env);
  expect(await main(['request', 'cloud-tasks.list', '--codex-home', home, '--json'], request.io)).toBe(0);
  const shown = JSON.parse(request.out.join('\n')) as { url: string; headers: Record<string, string>; chatgptBaseUrlFrom: string };
  const raw = capture(env);
  expect(await main(['request', 'cloud-tasks.list', '--codex-home', home, '--json', '--show-secrets'], raw.io)).toBe(0);
  const sendable = JSON.parse(raw.out.join('\n')) as { method: string; url: string; headers: Record<string, string> };
  const ok = await fetch(sendable.url, { method: sendable.method, headers: sendable.headers });
  await ok.arrayBuffer();
  const bad = await fetch(sendable.url, { headers: { authorization: 'Bearer not-a-token-the-mock-issued', 'chatgpt-account-id': 'undefined' } });
  await bad.arrayBuffer();
  stop.abort();
  expect(await done).toBe(0);
  const check = capture(env);
  const code = await main(['check', journal], check.io);
  return { started, fixed, shown, okStatus: ok.status, code, check: check.text(), journal: await readFile(journal, 'utf8') };
}

describe('serve → fixture → request → check', () => {
  it('request reads config.toml; check fails an unknown Bearer token and a literal "undefined" account header; one token, one fp: everywhere', async () => {
    const w = await workflow({ [FINGERPRINT_KEY_ENV]: 'workflow-test-key' });
    expect(w.shown.url).toBe(`${w.started.chatgptBaseUrl}wham/tasks/list`);
    expect(w.shown.chatgptBaseUrlFrom).toMatch(/config\.toml$/);
    expect(w.okStatus).toBe(200);

    expect(w.code).toBe(1);
    expect(w.check).toMatch(/^FAIL HDR\.BEARER\.001/m);
    expect(w.check).toMatch(/never issued/);
    expect(w.check).toMatch(/^FAIL HDR\.ACCOUNT\.002/m);
    expect(w.check).toMatch(/"undefined"/);
    expect(w.check).toMatch(/^PASS HDR\.ACCOUNT\.001/m);

    // The access token's fingerprint: fixture's `credential`, request's header, the journal, check.
    const fp = w.fixed.credential;
    expect(fp).toMatch(/^fp:[0-9a-f]{12}$/);
    expect(w.shown.headers['authorization']).toBe(`Bearer ${fp}`);
    expect(w.journal).toContain(`"authorization":"Bearer ${fp}"`);
  });

  it('the same key env gives the same fingerprint in another process run; another key gives another', async () => {
    const a = await workflow({ [FINGERPRINT_KEY_ENV]: 'k1' });
    const again = await workflow({ [FINGERPRINT_KEY_ENV]: 'k1' });
    // Each workflow mints a new token, so compare through a fixed secret instead.
    expect(a.fixed.credential).not.toBe(again.fixed.credential);
    setFingerprintKey((await resolveFingerprintKey({ [FINGERPRINT_KEY_ENV]: 'k1' }, process.cwd())).key);
    const one = fingerprint('sk-same-secret');
    setFingerprintKey((await resolveFingerprintKey({ [FINGERPRINT_KEY_ENV]: 'k1' }, process.cwd())).key);
    expect(fingerprint('sk-same-secret')).toBe(one);
    setFingerprintKey((await resolveFingerprintKey({ [FINGERPRINT_KEY_ENV]: 'k2' }, process.cwd())).key);
    expect(fingerprint('sk-same-secret')).not.toBe(one);
  });

  it('without the env, a workspace key file (mode 0600, under XDG_CACHE_HOME) gives every command the same key', async () => {
    const cache = await tempDir('cac-xdg-');
    const first = await resolveFingerprintKey({ XDG_CACHE_HOME: cache }, process.cwd());
    const second = await resolveFingerprintKey({ XDG_CACHE_HOME: cache }, join(process.cwd(), 'src'));
    expect(first.source.kind).toBe('workspace');
    expect(second.key.equals(first.key), 'a subdirectory of the same workspace shares the key').toBe(true);
    const file = first.source.kind === 'workspace' ? first.source.file : '';
    const { stat } = await import('node:fs/promises');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const elsewhere = await resolveFingerprintKey({ XDG_CACHE_HOME: cache }, cache);
    expect(elsewhere.key.equals(first.key), 'another workspace has another key').toBe(false);
    expect((await resolveFingerprintKey({}, process.cwd())).source.kind, 'no HOME: a key for this process only').toBe('process');
  });
});
