import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.js';
import { main } from './main.js';

function capture(extra: { checkpoint?: () => 'stop' } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd(), ...extra }, out, err };
}

describe('--reporter html=FILE', () => {
  it('HDR.ACCOUNT.001 run writes the html report with the failure evidence; report renders the same page from the saved stream', async () => {
    const dir = await tempDir('cac-html-');
    const c = capture();
    const argv = ['run', '--impl', 'mutant:account-id-dropped', '--rules', 'HDR.ACCOUNT.001', '--seed', '7', '--runs', '3'];
    expect(await main([...argv, '--reporter', `json=${join(dir, 'r.ndjson')}`, '--reporter', `html=${join(dir, 'run.html')}`], c.io)).toBe(1);
    expect(c.out.join('\n')).toMatch(/wrote html report to .*run\.html: NOT OK/);
    const html = await readFile(join(dir, 'run.html'), 'utf8');
    expect(html).toContain('id="ev-0-HDR.ACCOUNT.001"');
    expect(html).toMatch(/<tr class="h-missing"><td>chatgpt-account-id<\/td>/);
    expect(html).toContain('--rules HDR.ACCOUNT.001 --seed 7 --path');
    const r = capture();
    expect(await main(['report', join(dir, 'r.ndjson'), '--reporter', `html=${join(dir, 'report.html')}`], r.io)).toBe(1);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe(html);
  }, 60_000);

  it('matrix takes --reporter NAME=FILE beside its Markdown on stdout, never a second report to stdout', async () => {
    const dir = await tempDir('cac-html-');
    const bad = capture();
    expect(await main(['matrix', '--releases', '0.171.0', '--reporter', 'html'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--reporter html needs a file[\s\S]*Fix: pass --reporter html=FILE/);
    const ok = capture({ checkpoint: () => 'stop' });
    expect(await main(['matrix', '--releases', '0.171.0', '--reporter', `html=${join(dir, 'm.html')}`], ok.io)).toBe(0);
    const missing = capture();
    expect(await main(['matrix', '--releases', '0.171.0', '--reporter', 'html=/nope/dir/m.html'], missing.io)).toBe(2);
  });
});
