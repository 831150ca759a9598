import { describe, expect, it } from 'vitest';
import { summarize, type CaseResult, type RunHeader, type RunReport } from '../results.js';
import { escapeProperty } from './github.js';
import { reporterFor } from './index.js';
import { FOLD_AFTER } from './markdown.js';

function line(ruleId: string, verdict: CaseResult['verdict'], extra: Partial<CaseResult> = {}): CaseResult {
  return { type: 'case', ruleId, caseId: `${ruleId}/c1`, verdict, message: `${verdict} of ${ruleId}`, durationMs: 1, ...extra };
}

function run(cases: CaseResult[], extra: Partial<RunHeader> = {}): RunReport {
  const header: RunHeader = { type: 'header', formatVersion: 2, tool: { name: 'codex-auth-conformance', version: '0' }, implementation: { name: 'my-driver', version: '1' }, seed: 7, runs: 1, rulesSelected: [...new Set(cases.map((c) => c.ruleId))], startedAt: 'x', ...extra };
  return { header, cases, footer: summarize(header, cases, { casesRun: 3, durationMs: 1 }) };
}

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('github reporter', () => {
  it('one ::error per failing rule with file= the expectation file and title= the rule id; secrets fingerprinted; escaped', () => {
    const r = run(
      [
        line('HDR.ACCOUNT.001', 'fail', { message: `sent the previous account, bearer ${JWT}`, replay: { seed: 7, path: '3', command: 'npx codex-auth-conformance run --rules HDR.ACCOUNT.001 --seed 7 --path 3' } }),
        line('HDR.AUTH.001', 'pass'),
        line('GATE.UPLOAD.001', 'error', { message: 'driver error: uncaught: not JSON' }),
        line('URL.BASE.001', 'skip'),
        line('REFRESH.ERROR.001', 'fail', { expectedFailure: { reason: 'known: retries' } }),
      ],
      { expectFile: 'expectations/my-driver.json' },
    );
    const out = reporterFor('github')(r).split('\n');
    expect(out.find((l) => l.startsWith('::error file=expectations/my-driver.json,title=HDR.ACCOUNT.001::'))).toMatch(/fail.*%0Acase HDR\.ACCOUNT\.001\/c1: sent the previous account, bearer fp:[0-9a-f]{12}%0A.*replay: npx codex-auth-conformance run/);
    expect(out.join('\n')).not.toContain(JWT);
    expect(out.some((l) => l.startsWith('::error file=expectations/my-driver.json,title=GATE.UPLOAD.001::GATE.UPLOAD.001 error'))).toBe(true);
    expect(out.some((l) => l.startsWith('::warning file=expectations/my-driver.json,title=URL.BASE.001::'))).toBe(true);
    expect(out.some((l) => l.startsWith('::notice file=expectations/my-driver.json,title=REFRESH.ERROR.001::REFRESH.ERROR.001 known failure'))).toBe(true);
    expect(out.some((l) => l.includes('title=HDR.AUTH.001'))).toBe(false);
    expect(out.at(-1)).toMatch(/^::notice title=codex-auth-conformance::my-driver 1: 5 rules: 1 passed, 2 failed, 1 errored, 1 skipped; 3 case\(s\) run \(seed 7\) — NOT OK/);
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });
});

describe('markdown reporter', () => {
  it('puts the rules to look at first and folds a long list of passes into <details>', () => {
    const passes = Array.from({ length: FOLD_AFTER + 2 }, (_, i) => line(`AAA.PASS.${String(i).padStart(3, '0')}`, 'pass'));
    const md = reporterFor('markdown')(run([...passes, line('ZZZ.FAIL.001', 'fail')]));
    const fail = md.indexOf('| ZZZ.FAIL.001 | ❌ fail');
    const details = md.indexOf('<details>');
    expect(fail).toBeGreaterThan(0);
    expect(md).toContain('### 1 rule(s) to look at');
    expect(details, 'passes are folded').toBeGreaterThan(fail);
    expect(md.indexOf('| AAA.PASS.000 | ✅ pass |')).toBeGreaterThan(details);
    expect(md).toMatch(/<summary>12 rule\(s\) passed or unsupported<\/summary>\n\n\| rule \|/);
    const short = reporterFor('markdown')(run([line('AAA.PASS.001', 'pass')]));
    expect(short).not.toContain('<details>');
  });
});
