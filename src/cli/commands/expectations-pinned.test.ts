import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpectationFile } from '../../harness/expectation-file.js';
import { tempDir } from '../../testing/temp-dirs.js';
import { main } from '../main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, cwd: process.cwd() }, out, err };
}

const RULE = 'HDR.ACCOUNT.002';
const failure = (caseId: string, request: string) => ({
  type: 'case',
  ruleId: RULE,
  caseId,
  verdict: 'fail',
  message: `${RULE} chatgpt-account-id on ${request}: expected no header, got "acc-1"`,
  expected: 'no header',
  actual: '"acc-1"',
  durationMs: 1,
});

/** A recorded stream with two failures of one rule on different requests. */
function stream(): string {
  return [
    { type: 'header', formatVersion: 2, tool: { name: 'codex-auth-conformance', version: '0.1.0' }, implementation: { name: 'driver:x', version: '1' }, seed: 1, runs: 1, rulesSelected: [RULE], startedAt: 'x' },
    failure('old-login', 'POST http://127.0.0.1:40001/backend-api/wham/remote/control/server/enroll'),
    failure('old-login-usage', 'GET http://127.0.0.1:40001/backend-api/wham/usage'),
  ].map((l) => JSON.stringify(l)).join('\n') + '\n';
}

describe('expectation files pin known failures to their evidence (report, run --update-expectations)', () => {
  it(`${RULE}: report --expect exits 1 for a second failure of a listed rule with other evidence, 0 when both are pinned`, async () => {
    const dir = await tempDir('cac-pinned-');
    await writeFile(join(dir, 'run.ndjson'), stream());
    const one = { knownFailures: [{ rule: RULE, reason: 'falls back to the id_token claim', failures: [{ case: 'old-login', request: 'POST /backend-api/wham/remote/control/server/enroll', field: 'chatgpt-account-id' }] }] };
    await writeFile(join(dir, 'one.json'), JSON.stringify(one));
    const c = capture();
    expect(await main(['report', join(dir, 'run.ndjson'), '--expect', join(dir, 'one.json')], c.io)).toBe(1);
    expect(c.out.join('\n')).toMatch(/\[new: HDR\.ACCOUNT\.002 is a known failure on case old-login, POST \/backend-api\/wham\/remote\/control\/server\/enroll, field chatgpt-account-id, this failure shows case old-login-usage, GET \/backend-api\/wham\/usage/);
    const both = { knownFailures: [{ ...one.knownFailures[0], failures: [...(one.knownFailures[0]?.failures ?? []), { request: 'GET /backend-api/wham/usage' }] }] };
    await writeFile(join(dir, 'both.json'), JSON.stringify(both));
    const ok = capture();
    expect(await main(['report', join(dir, 'run.ndjson'), '--expect', join(dir, 'both.json')], ok.io)).toBe(0);
    expect(ok.err.join('\n')).not.toMatch(/warning/);
    // An older, rule-only file still loads: any failure of the rule is accepted, with a warning.
    await writeFile(join(dir, 'old.json'), JSON.stringify({ knownFailures: [{ rule: RULE, reason: 'r' }] }));
    const old = capture();
    expect(await main(['report', join(dir, 'run.ndjson'), '--expect', join(dir, 'old.json')], old.io)).toBe(0);
    expect(old.err.join('\n')).toMatch(/warning: .*not pinned to their evidence \(HDR\.ACCOUNT\.002\)/);
  });

  it('HDR.ACCOUNT.001: run --update-expectations writes a pinned file the next run passes with, and a bad pin is exit 2', async () => {
    const dir = await tempDir('cac-update-');
    const file = join(dir, 'account-id-dropped.json');
    const args = ['run', '--impl', 'mutant:account-id-dropped', '--rules', 'HDR.ACCOUNT.001', '--seed', '1', '--runs', '1'];
    const first = capture();
    expect(await main([...args, '--update-expectations', file], first.io)).toBe(0);
    expect(first.err.join('\n')).toMatch(/wrote .*account-id-dropped\.json: 1 known failure\(s\) \(1 pinned to their evidence\), 0 unsupported/);
    const written = parseExpectationFile(await readFile(file, 'utf8'), file);
    // Every request the mutant dropped the header on, each pinned once (the run collects instead of shrinking).
    expect(written.knownFailures).toEqual([
      expect.objectContaining({
        rule: 'HDR.ACCOUNT.001',
        reason: expect.stringMatching(/^found by run --seed 1/),
        failures: expect.arrayContaining([{ request: 'GET /backend-api/wham/tasks/list', field: 'chatgpt-account-id' }, { request: 'POST /backend-api/codex/responses', field: 'chatgpt-account-id' }]),
      }),
    ]);
    expect(new Set(written.knownFailures[0]?.failures?.map((p) => p.request)).size).toBe(written.knownFailures[0]?.failures?.length);
    const again = capture();
    expect(await main([...args, '--expect', file], again.io)).toBe(0);
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ knownFailures: [{ rule: 'HDR.ACCOUNT.001', reason: 'r', failures: [{ request: 'https://chatgpt.com/x' }] }] }));
    const bad = capture();
    expect(await main([...args, '--expect', join(dir, 'bad.json')], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/failures\[0\]\.request .* is not "METHOD \/path"[\s\S]*Fix:/);
    const shard = capture();
    expect(await main([...args, '--shard', '1/2', '--update-expectations', file], shard.io)).toBe(2);
  });
});
