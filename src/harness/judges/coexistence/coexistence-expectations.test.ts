import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../../errors.js';
import type { CoexistenceResult } from './coexistence-result.js';
import { checkCoexistence, parseCoexistenceExpectations } from './coexistence-expectations.js';
import { crashVerdict, parseCrashTable } from './crash-safety-table.js';

const result = (scenario: string, verdicts: Array<[string, 'pass' | 'fail']>): CoexistenceResult =>
  ({ recording: { scenarioId: scenario } as CoexistenceResult['recording'], verdicts: verdicts.map(([check, verdict]) => ({ check: check as never, scenario, verdict, evidence: `${check} evidence` })) });

describe('coexistence expectations', () => {
  const recorded = parseCoexistenceExpectations({ coexistence: [{ scenario: 'x-clientFirst', check: 'codexStillWorks', verdict: 'fail', evidence: 'e' }, { scenario: 'x-clientFirst', check: 'keepsForeignKeys', verdict: 'pass' }] }, 'x.json');

  it('a run that gives every recorded verdict is as recorded', () => {
    expect(checkCoexistence([result('x-clientFirst', [['codexStillWorks', 'fail'], ['keepsForeignKeys', 'pass']])], recorded, false)).toEqual({ ok: true, problems: [] });
  });

  it('a verdict that changed, one not recorded and a recorded one that did not run are each a problem', () => {
    const c = checkCoexistence([result('x-clientFirst', [['codexStillWorks', 'pass'], ['noDoubleRedemption', 'pass']])], recorded, false);
    expect(c.ok).toBe(false);
    expect(c.problems).toEqual([
      'x-clientFirst/codexStillWorks: recorded fail, got pass (codexStillWorks evidence)',
      'x-clientFirst/noDoubleRedemption: pass is not recorded (noDoubleRedemption evidence)',
      'x-clientFirst/keepsForeignKeys: recorded pass but not run',
    ]);
  });

  it('an intermittent record accepts a pass as well as its verdict, nothing else', () => {
    const racy = parseCoexistenceExpectations({ coexistence: [{ scenario: 'x-clientFirst', check: 'neverHalfWritten', verdict: 'fail', intermittent: true }] }, 'x.json');
    expect(checkCoexistence([result('x-clientFirst', [['neverHalfWritten', 'pass']])], racy, false).ok).toBe(true);
    expect(checkCoexistence([result('x-clientFirst', [['neverHalfWritten', 'fail']])], racy, false).ok).toBe(true);
    const strict = parseCoexistenceExpectations({ coexistence: [{ scenario: 'x-clientFirst', check: 'neverHalfWritten', verdict: 'pass' }] }, 'x.json');
    expect(checkCoexistence([result('x-clientFirst', [['neverHalfWritten', 'fail']])], strict, false).problems).toEqual(['x-clientFirst/neverHalfWritten: recorded pass, got fail (neverHalfWritten evidence)']);
  });

  it('a run that did not select the coexistence scenarios compares nothing', () => {
    expect(checkCoexistence(undefined, recorded, false).ok).toBe(true);
    expect(checkCoexistence([], recorded, true).ok).toBe(true);
  });

  it('a malformed entry is refused with what to write', () => {
    expect(() => parseCoexistenceExpectations({ coexistence: [{ scenario: 's', check: 'nope', verdict: 'pass' }] }, 'f.json')).toThrow(ConformanceInputError);
    expect(() => parseCoexistenceExpectations({ coexistence: [{ scenario: 's', check: 'codexStillWorks', verdict: 'pass' }, { scenario: 's', check: 'codexStillWorks', verdict: 'fail' }] }, 'f.json')).toThrow(/twice/);
    expect(parseCoexistenceExpectations({}, 'f.json')).toEqual([]);
  });
});

describe('survives a kill mid-write: the crash-safety table of docs/crash-safety.md', () => {
  const doc = [
    '| writer | files of the commit | write points | kill runs | killed at a write point | left whole | broken | finding |',
    '|---|---|---:|---:|---:|---|---|---|',
    '| codex-cli:0.156.0 | auth.json | 5 | 16 | 4 | 4 old, 11 new | **1** (1 empty) | finding |',
    '| ecosystem:openai-oauth | auth.json | 4 | 9 | 4 | 9 old | **0** | ok |',
    '',
    '| # | strace injection (SIGKILL) | call hit |',
    '|---:|---|---|',
    '| 1 | openat:when=1 | x |',
  ].join('\n');

  it('reads writer, kill runs and broken from every table that has them', () => {
    expect(parseCrashTable(doc)).toEqual([
      { writer: 'codex-cli:0.156.0', killRuns: 16, broken: 1, brokenText: '**1** (1 empty)' },
      { writer: 'ecosystem:openai-oauth', killRuns: 9, broken: 0, brokenText: '**0**' },
    ]);
  });

  it('a client is measured only by a row naming it; otherwise "not measured", never a pass', () => {
    const rows = parseCrashTable(doc);
    expect(crashVerdict(rows, 'openai-oauth', true)).toMatchObject({ kind: 'measured', row: { broken: 0, killRuns: 9 } });
    expect(crashVerdict(rows, 'codex-as-api', true)).toEqual({ kind: 'notMeasured', reason: 'docs/crash-safety.md has no row for it' });
    expect(crashVerdict(rows, 'pi-ai', false).kind).toBe('notApplicable');
    expect(crashVerdict(parseCrashTable('| codex-as-api@0.7.0 | x |'), 'codex-as-api', true).kind).toBe('notMeasured');
  });
});
