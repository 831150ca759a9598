import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/catalogue.js';
import { main } from './main.js';
import { tempDir } from '../testing/temp-dirs.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() }, out, err };
}

const driver = (name: string) => fileURLToPath(new URL(`../../examples/drivers/${name}`, import.meta.url));

describe('codex-auth-conformance CLI', () => {
  it('an unknown command is a usage error (exit 2) that lists the commands', async () => {
    const c = capture();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown command "frobnicate".*use one of .*run/);
  });

  it('an unknown flag is a usage error naming the flag, without a stack trace', async () => {
    const c = capture();
    expect(await main(['rules', '--colour'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/error \[USAGE\]:.*--colour/);
    expect(c.err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('rules --json lists the whole catalogue with sources', async () => {
    const c = capture();
    expect(await main(['rules', '--json'], c.io)).toBe(0);
    const listed = JSON.parse(c.out.join('\n')) as { id: string; source: string }[];
    expect(listed.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(listed.every((r) => r.source.includes('codex-rs/'))).toBe(true);
  });

  it('smoke passes a working driver; a broken or missing one is bad input (exit 2), as in run', async () => {
    const ok = capture();
    expect(await main(['smoke', '--', 'python3', driver('python/codex_auth_driver.py')], ok.io)).toBe(0);
    expect(ok.out[0]).toMatch(/^ok: /);
    const broken = capture();
    expect(await main(['smoke', '--timeout-ms', '2000', '--', process.execPath, driver('broken/crash-at-start.mjs')], broken.io)).toBe(2);
    expect(broken.out[0]).toMatch(/^not ok: /);
    expect(broken.err.join('\n')).toMatch(/^error \[DRIVER_PROTOCOL\]: .* Fix: /m);
    const missing = capture();
    expect(await main(['smoke', '--', driver('broken/no-such-driver')], missing.io)).toBe(2);
    expect(missing.err.join('\n')).toMatch(/^error \[USAGE\]: the driver program .*no-such-driver" does not exist\. Fix: /m);
    const notOnPath = capture();
    expect(await main(['run', '--impl', 'driver:no-such-interpreter-xyz driver.py'], notOnPath.io)).toBe(2);
    expect(notOnPath.err.join('\n')).toMatch(/is not on PATH\. Fix: /);
  }, 180_000); // each smoke re-executes inside a loopback-only namespace

  it('diff exits 1 and names the rule whose verdict changed', async () => {
    const dir = await tempDir('cac-diff-');
    const stream = (verdict: string) =>
      [
        { type: 'header', formatVersion: 1, tool: { name: 'codex-auth-conformance', version: '0' }, implementation: { name: verdict, version: '1' }, seed: 1, runs: 1, rulesSelected: ['HDR.AGENT.001'], startedAt: 'x' },
        { type: 'case', ruleId: 'HDR.AGENT.001', caseId: 'c', verdict, message: 'm', durationMs: 0 },
        { type: 'footer', counts: { pass: 1, fail: 0, skip: 0, error: 0 }, rulesNotReached: [], durationMs: 0, ok: true },
      ].map((l) => JSON.stringify(l)).join('\n');
    await writeFile(join(dir, 'a.ndjson'), stream('pass'));
    await writeFile(join(dir, 'b.ndjson'), stream('fail'));
    const c = capture();
    expect(await main(['diff', join(dir, 'a.ndjson'), join(dir, 'b.ndjson')], c.io)).toBe(1);
    expect(c.out.join('\n')).toMatch(/HDR\.AGENT\.001\s+pass → fail/);
    const same = capture();
    expect(await main(['diff', join(dir, 'a.ndjson'), join(dir, 'a.ndjson')], same.io)).toBe(0);
    const missing = capture();
    expect(await main(['diff', join(dir, 'a.ndjson'), join(dir, 'nope.ndjson')], missing.io)).toBe(2);
  });

  it('repro replays a regression: it fails on the implementation that has the bug and passes on the reference', async () => {
    const file = fileURLToPath(new URL('../../scenarios/regressions/pr18811-apps-cache-key-token-data.json', import.meta.url));
    const buggy = capture();
    expect(await main(['repro', file], buggy.io)).toBe(1);
    expect(buggy.out.join('\n')).toMatch(/FAIL CACHE\.SWITCH\.001/);
    const fixed = capture();
    expect(await main(['repro', file, '--impl', 'reference'], fixed.io)).toBe(0);
    const dir = await tempDir('cac-repro-');
    await writeFile(join(dir, 'bad.json'), '{"id": 1}');
    const bad = capture();
    expect(await main(['repro', join(dir, 'bad.json')], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/error \[BAD_SCENARIO\]/);
  });
});
