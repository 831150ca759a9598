import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleIdsInProfile } from '../../rules/catalogue.js';
import { tempDir } from '../../testing/temp-dirs.js';
import { main } from '../main.js';
import type { CheckReport } from './check.js';

function capture() {
  const out: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: () => undefined, env: {}, cwd: process.cwd() }, out };
}

async function har(urls: readonly string[]): Promise<string> {
  const dir = await tempDir('cac-check-');
  const path = join(dir, 'capture.har');
  const entries = urls.map((url) => ({ startedDateTime: '2026-01-01T00:00:00.000Z', request: { method: url.endsWith('/responses') ? 'POST' : 'GET', url, headers: [{ name: 'Authorization', value: 'Bearer eyJhbGciOi.x.y' }, { name: 'ChatGPT-Account-ID', value: 'acct-1' }] }, response: { status: 200 } }));
  await writeFile(path, JSON.stringify({ log: { version: '1.2', entries } }));
  return path;
}

describe('check says what it judges and judges what a capture can show', () => {
  it('URL.NORM.002 the doubled slash of GET https://chatgpt.com/backend-api//wham/usage fails, with and without --chatgpt-base-url', async () => {
    const path = await har(['https://chatgpt.com/backend-api//wham/usage']);
    for (const flags of [[], ['--chatgpt-base-url', 'https://chatgpt.com/backend-api/']]) {
      const c = capture();
      expect(await main(['check', path, ...flags], c.io), flags.join(' ')).toBe(1);
      expect(c.out.join('\n')).toMatch(/^FAIL URL\.NORM\.002 \(MUST\)[\s\S]*an empty path segment: \/backend-api\/\/wham\/usage/m);
    }
    const old = capture();
    expect(await main(['check', path, '--profile', 'pr18811'], old.io)).toBe(1);
    expect(old.out.join('\n')).toMatch(/^FAIL URL\.NORM\.001/m);
  });

  it('URL.STYLE.001 /api/codex/ paths under a /backend-api base fail; URL.BASE.001 and URL.APPS.001 need --chatgpt-base-url and then judge', async () => {
    const path = await har(['https://chatgpt.com/backend-api/api/codex/tasks/list', 'https://example.test/backend-api/wham/usage']);
    const bare = capture();
    expect(await main(['check', path, '--json'], bare.io)).toBe(1);
    const report = JSON.parse(bare.out.join('\n')) as CheckReport;
    expect(report.results.find((r) => r.ruleId === 'URL.STYLE.001')?.verdict).toBe('fail');
    expect(report.notJudged.find((n) => n.rule === 'URL.BASE.001')?.reason).toMatch(/pass --chatgpt-base-url/);
    const based = capture();
    expect(await main(['check', path, '--json', '--chatgpt-base-url', 'https://chatgpt.com/backend-api/'], based.io)).toBe(1);
    const withBase = JSON.parse(based.out.join('\n')) as CheckReport;
    expect(withBase.results.find((r) => r.ruleId === 'URL.BASE.001' && r.verdict === 'fail')?.message).toMatch(/example\.test/);
  });

  it('every rule of the profile is judged or listed as not judged with its reason', async () => {
    const path = await har(['https://chatgpt.com/backend-api/wham/tasks/list']);
    const c = capture();
    expect(await main(['check', path, '--json'], c.io)).toBe(0);
    const report = JSON.parse(c.out.join('\n')) as CheckReport;
    const judged = new Set(report.results.map((r) => r.ruleId));
    const listed = new Set(report.notJudged.map((n) => n.rule));
    expect(new Set([...judged, ...listed])).toEqual(new Set(ruleIdsInProfile('codex-0.171')));
    expect([...judged].filter((id) => listed.has(id))).toEqual([]);
    expect(report.notJudged.find((n) => n.rule === 'URL.PATH.001')?.reason).toMatch(/callsite/);
    expect(report.notJudged.find((n) => n.rule === 'HDR.ACCOUNT.001')?.reason).toMatch(/serve --journal/);
    const text = capture();
    await main(['check', path], text.io);
    expect(text.out.join('\n')).toMatch(new RegExp(`^judged ${judged.size} of the ${ruleIdsInProfile('codex-0.171').length} rules of the profile from this recording; not judged \\(${listed.size}\\):`, 'm'));
  });
});
