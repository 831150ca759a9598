import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rulesInProfile } from '../rules/catalogue.js';
import { DEFAULT_PROFILE } from '../rules/profiles.js';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.js';
import { main } from './main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() }, out, err };
}

const QUICK = ['--rules', 'HDR.AUTH.001,GATE.APIKEY.001', '--seed', '3', '--runs', '2'];

describe('reports for CI', () => {
  it('one run writes several reports; one goes to stdout; counts are in rules', async () => {
    const dir = await tempDir('cac-reports-');
    const c = capture();
    expect(await main(['run', ...QUICK, '--reporter', `junit=${join(dir, 'out.xml')}`, '--reporter', `markdown=${join(dir, 'summary.md')}`, '--reporter', `json=${join(dir, 'r.ndjson')}`, '--reporter', 'pretty'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/2 rules: 2 passed, 0 failed; \d+ case\(s\) run in [\d.]+s — OK/);
    expect(c.err.join('\n')).toMatch(/wrote junit report to .*out\.xml: OK/);
    const xml = await readFile(join(dir, 'out.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites name="codex-auth-conformance reference" tests="2" failures="0" errors="0" skipped="0"/);
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toMatch(/\| HDR\.AUTH\.001 \| ✅ pass \|/);
    // report renders the saved stream again, in another format.
    const r = capture();
    expect(await main(['report', join(dir, 'r.ndjson'), '--reporter', 'tap'], r.io)).toBe(0);
    expect(r.out.join('\n')).toMatch(/^TAP version 14\n1\.\.2\nok 1 - HDR\.AUTH\.001/);
  }, 60_000);

  it('the older --reporter NAME --output FILE still works', async () => {
    const dir = await tempDir('cac-reports-');
    const c = capture();
    expect(await main(['run', ...QUICK, '--reporter', 'junit', '--output', join(dir, 'j.xml')], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/wrote junit report to .*j\.xml: OK/);
    expect((await stat(join(dir, 'j.xml'))).size).toBeGreaterThan(100);
  }, 60_000);

  it('bad report targets are usage errors before any work: unwritable, two on stdout, unknown reporter', async () => {
    for (const argv of [
      ['--output', '/nope/dir/x.txt'],
      ['--reporter', 'json', '--reporter', 'tap'],
      ['--reporter', 'pdf=x.pdf'],
      ['--reporter', 'junit=/nope/dir/x.xml', '--reporter', 'pretty'],
      ['--reporter', `junit=${process.cwd()}`],
    ]) {
      const c = capture();
      const started = Date.now();
      expect(await main(['run', ...argv], c.io), argv.join(' ')).toBe(2);
      expect(c.err.join('\n')).toMatch(/^error \[USAGE\]: .* Fix: /);
      expect(c.err.join('\n'), 'no suite ran').not.toMatch(/rule\(s\) judged/);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it('--shard K/N splits a run; report merges the shards; a missing shard is NOT OK (exit 1)', async () => {
    const dir = await tempDir('cac-shards-');
    const files = [1, 2, 3].map((k) => join(dir, `s${k}.ndjson`));
    for (const [i, f] of files.entries()) {
      const c = capture();
      expect(await main(['run', '--rules', 'HDR', '--seed', '9', '--runs', '6', '--shard', `${i + 1}/3`, '--reporter', `json=${f}`], c.io)).toBe(0);
    }
    const merged = capture();
    expect(await main(['report', ...files], merged.io)).toBe(0);
    expect(merged.out.join('\n')).toMatch(/shards 1,2,3 of 3 merged/);
    const hdr = rulesInProfile(DEFAULT_PROFILE).filter((r) => r.area === 'HDR').length;
    expect(merged.out.join('\n')).toMatch(new RegExp(`${hdr} rules: ${hdr} passed, 0 failed`));
    const whole = capture();
    expect(await main(['run', '--rules', 'HDR', '--seed', '9', '--runs', '6'], whole.io)).toBe(0);
    const casesOf = (text: string) => Number(/(\d+) case\(s\) run/.exec(text)?.[1]);
    expect(casesOf(merged.out.join('\n')), 'the shards together ran the cases of the whole run').toBe(casesOf(whole.out.join('\n')));
    const partial = capture();
    expect(await main(['report', files[0]!, files[2]!], partial.io)).toBe(1);
    expect(partial.out.join('\n')).toMatch(/shard\(s\) 2 of 3 missing/);
  }, 120_000);
});
