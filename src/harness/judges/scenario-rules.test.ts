import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { pass } from '../../rules/result.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import type { ScenarioRun } from '../scenario/recording.js';
import { judgeScenarioRules } from './scenario-rules.js';

const scenario = loadScenarioFile(fileURLToPath(new URL('../scenario/testdata/two-execs-refresh-window.json', import.meta.url)));
const run: ScenarioRun = { scenarioId: scenario.id, family: scenario.family, caseId: scenario.id, entries: [], steps: [], authJson: [], unhandled: [], durationMs: 1 };

describe('rules judge of black-box scenarios', () => {
  it('REFRESH.PERSIST.001 a named rule is judged by its registered checker over the run', () => {
    const results = judgeScenarioRules(scenario, run, { release: '0.171.0', profile: 'codex-0.171' }, { 'REFRESH.PERSIST.001': (r) => [pass('REFRESH.PERSIST.001', `checked ${r.authJson.length} snapshots`)] });
    expect(results).toEqual([{ ruleId: 'REFRESH.PERSIST.001', verdict: 'pass', message: 'checked 0 snapshots', caseId: scenario.id }]);
  });

  it('REFRESH.PERSIST.001 a named rule without a checker is a skip with the reason, never a pass', () => {
    const [r] = judgeScenarioRules(scenario, run, { release: '0.171.0', profile: 'codex-0.171' }, {});
    expect(r?.verdict).toBe('skip');
    expect(r?.message).toMatch(/no checker is registered/);
  });
});

describe('SHARE checkers over the runner\'s share recording', () => {
  const journalOf = (): ScenarioRun['entries'] => [];
  it('SHARE.RACE.001 is registered: judged by judgeShareScenario, a skip with the reason when the play lacks what the rule needs', () => {
    const share = { steps: [{ kind: 'client' as const, actors: ['exec1', 'exec2'], label: 'two execs at once', fromSeq: 0, toSeq: 0 }], issued: [], problems: [] };
    const [r] = judgeScenarioRules({ ...scenario, judge: { kind: 'rules', rules: ['SHARE.RACE.001'] } }, { ...run, entries: journalOf(), share }, { release: '0.171.0', profile: 'codex-0.171' });
    expect(r?.verdict).toBe('skip');
    expect(r?.message).toMatch(/no step of this play reached/);
  });

  it('SHARE.RELOAD.003 a write that never fired makes every SHARE rule a skip, never a pass', () => {
    const share = { steps: [], issued: [], problems: ['the write armed by step 1 never fired (no request path got 2 401s)'] };
    const [r] = judgeScenarioRules({ ...scenario, judge: { kind: 'rules', rules: ['SHARE.RELOAD.003'] } }, { ...run, share }, { release: '0.171.0', profile: 'codex-0.171' });
    expect(r).toMatchObject({ verdict: 'skip', message: expect.stringMatching(/never fired/) });
  });

  it('SHARE.RACE.001 a rule outside the profile (pr18811) is a skip naming the profile', () => {
    const share = { steps: [], issued: [], problems: [] };
    const [r] = judgeScenarioRules({ ...scenario, judge: { kind: 'rules', rules: ['SHARE.RACE.001'] } }, { ...run, share }, { release: '0.125.0', profile: 'pr18811' });
    expect(r).toMatchObject({ verdict: 'skip', message: expect.stringMatching(/not a rule of profile pr18811/) });
  });
});

describe('SHARE findings on releases older than the rule\'s source', () => {
  it('SHARE.RACE.001 a failure before 0.171.0 is a finding (unsupported, evidence kept); from 0.171.0 it stays a failure', async () => {
    const { asFinding } = await import('./release-findings.js');
    const { fail } = await import('../../rules/result.js');
    const f = fail('SHARE.RACE.001', 'two redemptions', 'one', 'two', 'execRace');
    expect(asFinding(f, '0.156.0')).toMatchObject({ verdict: 'unsupported', message: expect.stringMatching(/finding on 0\.156\.0.*no cross-process lock.*two redemptions/) });
    expect(asFinding(f, '0.171.0')).toBe(f);
    expect(asFinding(fail('SHARE.WRITE.004', 'x', 'y', 'z'), '0.80.0').verdict).toBe('fail');
  });
});
