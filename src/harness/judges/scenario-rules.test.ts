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
