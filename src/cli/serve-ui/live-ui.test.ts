import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../redact/fingerprint.js';
import { startServe, type ServeStarted } from '../commands/serve.js';
import { parseServeArgs } from '../commands/serve.js';
import { main } from '../main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() }, out, err };
}

async function control<T>(started: ServeStarted, path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${started.controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
  return (await res.json()) as T;
}

/** Reads the event stream until `enough` holds for the text read so far. */
async function readEvents(url: string, enough: (text: string) => boolean, ms = 5000): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const res = await fetch(url, { signal: controller.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!enough(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return text;
}

/** A raw GET with a chosen Host header (fetch does not let a caller set it). */
function getWithHost(url: string, host: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve --ui', () => {
  it('HDR.BEARER.001 prints the live view URL as ui; a request with a real token reaches the page and its event stream only as a fingerprint, with the rule verdicts and the mock verdict', async () => {
    const c = capture();
    const handle = await startServe({ port: 0, seed: 3, ui: true }, c.io);
    try {
      const started = JSON.parse(c.out[0]!) as ServeStarted;
      expect(started.ui).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(started.ui).not.toBe(`${started.origin}/`);
      const account = await control<{ id: string }>(started, '/accounts', { plan: 'team' });
      const tokens = await control<{ accessToken: string; refreshToken: string }>(started, `/accounts/${account.id}/chatgpt-tokens`);
      const good = await fetch(`${started.chatgptBaseUrl}wham/tasks/list?access_token=${tokens.accessToken}`, { headers: { authorization: `Bearer ${tokens.accessToken}`, 'chatgpt-account-id': account.id, cookie: `refresh=${tokens.refreshToken}` } });
      await good.arrayBuffer();
      const bad = await fetch(`${started.chatgptBaseUrl}wham/tasks/list`, { headers: { authorization: 'Bearer placeholder-never-issued-token', 'chatgpt-account-id': 'undefined' } });
      await bad.arrayBuffer();

      const stream = await readEvents(`${started.ui}events`, (t) => (t.match(/^event: request$/gm) ?? []).length >= 2);
      const events = stream.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { seq: number; account?: string; headers: Record<string, string>; credential: { accepted: boolean; summary: string }; rules: { ruleId: string; verdict: string }[] });
      expect(events).toHaveLength(2);
      expect(stream).not.toContain(tokens.accessToken);
      expect(stream).not.toContain(tokens.refreshToken);
      expect(stream).not.toContain('placeholder-never-issued-token');
      expect(events[0]!.headers['authorization']).toBe(`Bearer ${fingerprint(tokens.accessToken)}`);
      expect(events[0]!.account).toBe(account.id);
      expect(events[0]!.credential.accepted).toBe(true);
      expect(events[0]!.rules).toContainEqual(expect.objectContaining({ ruleId: 'HDR.BEARER.001', verdict: 'pass' }));
      expect(events[1]!.credential).toMatchObject({ accepted: false, summary: expect.stringMatching(/never issued by the mock/) });
      expect(events[1]!.rules).toContainEqual(expect.objectContaining({ ruleId: 'HDR.BEARER.001', verdict: 'fail' }));
      expect(events[1]!.rules).toContainEqual(expect.objectContaining({ ruleId: 'HDR.ACCOUNT.002', verdict: 'fail' }));

      // A page opened later gets what happened before it; a reconnecting one only what it missed.
      const again = await readEvents(`${started.ui}events`, (t) => t.includes('"seq":2'));
      expect(again).toContain('"seq":1');
      const page = await fetch(started.ui!);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toContain('new EventSource(\'events\')');
      expect(html).not.toContain(tokens.accessToken);
      for (const m of html.matchAll(/\s(?:src|href|action)="([^"]*)"/g)) expect.fail(`the page loads ${m[1]}`);
      expect(html.match(/https?:\/\/[^\s<"']+/g)).toEqual([started.origin]);
    } finally {
      await handle.close();
    }
  });

  it('is read-only and answers only on its loopback name', async () => {
    const c = capture();
    const handle = await startServe({ port: 0, ui: true }, c.io);
    try {
      const started = JSON.parse(c.out[0]!) as ServeStarted;
      const port = new URL(started.ui!).port;
      expect(await getWithHost(started.ui!, `127.0.0.1:${port}`)).toBe(200);
      expect(await getWithHost(started.ui!, `localhost:${port}`)).toBe(200);
      expect(await getWithHost(started.ui!, `attacker.example:${port}`)).toBe(421);
      expect(await getWithHost(started.ui!, `127.0.0.1:${port}`, 'POST')).toBe(405);
      expect(await getWithHost(`${started.ui}__control`, `127.0.0.1:${port}`)).toBe(404);
    } finally {
      await handle.close();
    }
  });

  it('takes --profile only with --ui, and without --ui prints no ui', async () => {
    expect(parseServeArgs(['--ui', '--profile', 'pr18811'], '/')).toMatchObject({ ui: true, profile: 'pr18811' });
    const c = capture();
    expect(await main(['serve', '--profile', 'pr18811'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/--profile applies to the live view \(--ui\) only[\s\S]*Fix: add --ui/);
    const plain = capture();
    const handle = await startServe({ port: 0 }, plain.io);
    await handle.close();
    expect(JSON.parse(plain.out[0]!)).not.toHaveProperty('ui');
  });
});
