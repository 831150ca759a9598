import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ruleIdsInProfile } from '../../src/rules/catalogue.js';
import { tempDir } from '../../src/testing/temp-dirs.js';
import { openBrowser, type Browser } from './chromium.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = join(ROOT, 'docs', 'img');
/** The default run judges every rule of the newest profile: the matrix has one row each. */
const RULES = ruleIdsInProfile('codex-0.171').length;

function quietIo() {
  const out: string[] = [];
  return { out, io: { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {}, cwd: process.cwd() } };
}

describe('the HTML report in headless Chromium', () => {
  let dir: string;
  let reportFile: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await tempDir('cac-report-page-');
    // A saved run with failures (a mutant that drops ChatGPT-Account-ID), rendered later by `report`.
    const stream = join(dir, 'run.ndjson');
    expect(await main(['run', '--impl', 'mutant:account-id-dropped', '--seed', '7', '--runs', '10', '--reporter', `json=${stream}`], quietIo().io)).toBe(1);
    reportFile = join(dir, 'report.html');
    expect(await main(['report', stream, '--reporter', `html=${reportFile}`], quietIo().io)).toBe(1);
    browser = await openBrowser({ width: 1400, height: 1000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('HDR.ACCOUNT.001 opens from file:// with no console error and no request but the file, shows the matrix and one failure\'s evidence', async () => {
    const { page } = browser;
    const url = pathToFileURL(reportFile).href;
    await page.goto(url);
    expect(browser.errors).toEqual([]);
    expect(browser.requests).toEqual([url]);
    // Nothing in the page points anywhere but at its own anchors.
    const pointers = await page.$$eval('[src], [href], [action], [srcset]', (els) => els.map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? e.getAttribute('action') ?? e.getAttribute('srcset') ?? ''));
    expect(pointers.length).toBeGreaterThan(0);
    expect(pointers.filter((p) => !p.startsWith('#'))).toEqual([]);
    // The matrix: one row per rule of the run, the failing one linked to its evidence.
    expect(await page.locator('table.matrix tbody tr').count()).toBe(RULES);
    await expect.poll(() => page.locator('#shown').textContent()).toBe(`${RULES} of ${RULES} rules shown`);
    const cell = page.locator('table.matrix tr', { hasText: 'HDR.ACCOUNT.001' }).locator('a .badge.v-fail');
    await cell.click();
    const article = page.locator('article[id="ev-0-HDR.ACCOUNT.001"]');
    expect(await article.isVisible()).toBe(true);
    expect(await article.locator('pre.counterexample').textContent()).toMatch(/→ /);
    const missing = article.locator('table.side-by-side tr.h-missing').first();
    expect(await missing.locator('td').first().textContent()).toBe('chatgpt-account-id');
    expect(await article.locator('table.side-by-side tr.h-ok', { hasText: 'authorization' }).locator('td').nth(2).textContent()).toMatch(/^Bearer fp:[0-9a-f]{12}$/);
    expect(await article.locator('.journal .req').count()).toBeGreaterThan(0);
    expect(await article.locator('ul.sources li').first().textContent()).toMatch(/^openai\/codex codex-rs\/.+ @ rust-v0\.171\.0/);
    expect(await article.locator('pre.replay-command').first().textContent()).toMatch(/--rules HDR\.ACCOUNT\.001 --seed 7 --path /);
    const copy = article.locator('button.copy').first();
    await copy.click();
    // The label changes when the clipboard promise settles, after the click returns.
    await expect.poll(() => copy.textContent()).toMatch(/^(copied|select and copy)$/);
    expect(browser.errors).toEqual([]);
  });

  it('filters by verdict, area and level', async () => {
    const { page } = browser;
    await page.goto(pathToFileURL(reportFile).href);
    await page.selectOption('select[name="verdict"]', 'failing');
    const failing = await page.locator('table.matrix tbody tr:not(.hidden)').count();
    expect(failing).toBeGreaterThan(0);
    expect(failing).toBeLessThan(RULES);
    expect(await page.locator('#shown').textContent()).toBe(`${failing} of ${RULES} rules shown`);
    expect(await page.locator('article.failure:not(.hidden)').count()).toBe(failing);
    await page.selectOption('select[name="area"]', 'HDR');
    const hdr = await page.locator('table.matrix tbody tr:not(.hidden) td.rule').allTextContents();
    expect(hdr.length).toBeGreaterThan(0);
    expect(hdr.every((id) => id.startsWith('HDR.'))).toBe(true);
    await page.selectOption('select[name="verdict"]', '');
    await page.selectOption('select[name="area"]', '');
    await page.selectOption('select[name="level"]', 'SHOULD');
    const should = await page.locator('table.matrix tbody tr:not(.hidden) .level').allTextContents();
    expect(should.length).toBeGreaterThan(0);
    expect(new Set(should)).toEqual(new Set(['SHOULD']));
    // The screenshot the README shows: the failing HDR rules and the first one's evidence.
    await page.selectOption('select[name="level"]', '');
    await page.selectOption('select[name="verdict"]', 'failing');
    await page.selectOption('select[name="area"]', 'HDR');
    await page.setViewportSize({ width: 1400, height: 1700 });
    await page.screenshot({ path: join(SCREENSHOTS, 'report.png') });
    expect(browser.errors).toEqual([]);
  });

  it('the report of the default run (reference, 100 generated cases per property) is under 1 MB', async () => {
    const file = join(dir, 'default.html');
    expect(await main(['run', '--seed', '7', '--reporter', `html=${file}`], quietIo().io)).toBe(0);
    const size = (await stat(file)).size;
    expect(size).toBeLessThan(1024 * 1024);
    const { page } = browser;
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('.card .ok').textContent()).toBe('OK');
    expect(await readFile(file, 'utf8')).toContain('no failure: every judged rule held');
    expect(browser.errors).toEqual([]);
  });
});
