import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle, type ServeStarted } from '../../src/cli/commands/serve.js';
import { fingerprint } from '../../src/redact/fingerprint.js';
import { openBrowser, type Browser } from './chromium.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = join(ROOT, 'docs', 'img');

async function control<T>(started: ServeStarted, path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${started.controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
  return (await res.json()) as T;
}

async function send(url: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return res.status;
}

describe('the live view of serve --ui in headless Chromium', () => {
  let handle: ServeHandle;
  let started: ServeStarted;
  let browser: Browser;

  beforeAll(async () => {
    const out: string[] = [];
    handle = await startServe({ port: 0, seed: 11, ui: true }, { out: (l) => out.push(l), err: () => undefined, env: {}, cwd: process.cwd() });
    started = JSON.parse(out[0]!) as ServeStarted;
    browser = await openBrowser({ width: 1500, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
    await handle?.close();
  });

  it('HDR.BEARER.001 the page updates when requests reach serve: rows with verdicts, filters, a detail with fingerprinted headers; no secret and no request beyond its own origin', async () => {
    const { page } = browser;
    const ui = started.ui!;
    await page.goto(ui);
    await expect.poll(() => page.locator('#conn').textContent()).toBe('live');
    expect(await page.locator('#requests tr').count()).toBe(0);

    const team = await control<{ id: string }>(started, '/accounts', { plan: 'team' });
    const teamTokens = await control<{ accessToken: string }>(started, `/accounts/${team.id}/chatgpt-tokens`);
    const fedramp = await control<{ id: string }>(started, '/accounts', { plan: 'enterprise', fedramp: true });
    const fedrampTokens = await control<{ accessToken: string }>(started, `/accounts/${fedramp.id}/chatgpt-tokens`);
    const base = started.chatgptBaseUrl;
    expect(await send(`${base}wham/tasks/list`, { authorization: `Bearer ${teamTokens.accessToken}`, 'chatgpt-account-id': team.id })).toBe(200);
    await send(`${base}wham/tasks/list`, { authorization: `Bearer ${fedrampTokens.accessToken}`, 'chatgpt-account-id': fedramp.id, 'x-openai-fedramp': 'true' });
    await send(`${base}wham/environments`, { authorization: `Bearer ${fedrampTokens.accessToken}`, 'chatgpt-account-id': fedramp.id });
    await send(`${base}wham/tasks/list`, { authorization: 'Bearer undefined', 'chatgpt-account-id': 'undefined' });

    await page.locator('#requests tr[data-seq="4"]').waitFor();
    expect(await page.locator('#requests tr').count()).toBe(4);
    // A literal "undefined" is a client bug shown as sent, not a secret.
    expect(await page.locator('#requests tr[data-seq="4"] td.account').textContent()).toBe('undefined');
    expect(await page.locator('#count-all').textContent()).toBe('4');

    // Filters: verdict, path, account, rule.
    await page.selectOption('select[name="verdict"]', 'fail');
    const failing = await page.locator('#requests tr:not(.hidden)').count();
    expect(failing).toBeGreaterThan(0);
    expect(failing).toBeLessThan(4);
    await page.selectOption('select[name="verdict"]', '');
    await page.fill('input[name="path"]', '/wham/environments');
    expect(await page.locator('#requests tr:not(.hidden)').count()).toBe(1);
    await page.fill('input[name="path"]', '');
    await page.selectOption('select[name="account"]', team.id);
    expect(await page.locator('#requests tr:not(.hidden) td.num').allTextContents()).toEqual(['1']);
    await page.selectOption('select[name="account"]', '');
    await page.selectOption('select[name="rule"]', 'HDR.ACCOUNT.002');
    expect(await page.locator('#requests tr:not(.hidden)').count()).toBeGreaterThan(0);
    await page.selectOption('select[name="rule"]', '');

    // The detail of the placeholder request: the mock never issued that credential, the rules fail.
    await page.locator('#requests tr[data-seq="4"]').click();
    const detail = page.locator('#detail');
    expect(await detail.textContent()).toContain('never issued by the mock');
    const bearer = await detail.locator('.rule').filter({ has: page.locator('span.mono', { hasText: /^HDR\.BEARER\.001 / }) }).locator('.badge').allTextContents();
    expect(bearer.length).toBeGreaterThan(0);
    expect(new Set(bearer)).toEqual(new Set(['fail']));
    // The detail of an accepted request shows its credential only as a fingerprint.
    await page.locator('#requests tr[data-seq="2"]').click();
    expect(await detail.locator('table.headers tr', { hasText: 'authorization' }).locator('td').nth(1).textContent()).toBe(`Bearer ${fingerprint(fedrampTokens.accessToken)}`);
    const html = await page.content();
    for (const token of [teamTokens.accessToken, fedrampTokens.accessToken]) expect(html).not.toContain(token);

    // The screenshot the README shows: the placeholder request's detail.
    await page.locator('#requests tr[data-seq="4"]').click();
    await page.waitForTimeout(1300); // the new-row highlight fades
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-ui.png') });
    expect(browser.errors).toEqual([]);
    const origin = new URL(ui).origin;
    expect(browser.requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
    expect(new Set(browser.requests)).toEqual(new Set([ui, `${ui}events`]));
  });
});
