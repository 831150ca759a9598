import { describe, expect, it } from 'vitest';
import { isInputError } from '../../../errors.js';
import { NETNS_MARKER_ENV } from '../../isolation/isolation-guard.js';
import { buildRaceInnerProcess, parseCount, parseRaceInnerArgs, parseRaceOutput, parseScenarioList, RACE_LINE_PREFIX } from './share-races-run.js';

const usage = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isInputError(e) ? `${e.code}: ${e.message}` : `not typed: ${String(e)}`;
  }
  return undefined;
};

describe('share-races arguments', () => {
  it('parses the inner arguments and rebuilds them into the namespaced command with the isolation marker', () => {
    const args = parseRaceInnerArgs(['--binary', '/c/codex', '--version', '0.80.0', '--scenarios', 'execRace,rotateBetween401s', '--runs', '3', '--timeout-ms', '90000']);
    expect(args).toEqual({ binaryPath: '/c/codex', version: '0.80.0', scenarios: ['execRace', 'rotateBetween401s'], runs: 3, timeoutMs: 90000 });
    const p = buildRaceInnerProcess(args, '/usr/bin');
    expect(p.env).toEqual({ PATH: '/usr/bin', [NETNS_MARKER_ENV]: '1' });
    expect(parseRaceInnerArgs(p.args.slice(3))).toEqual(args);
  });

  it('refuses an unknown scenario, a bad count and a missing binary with a typed usage error and a Fix line', () => {
    expect(usage(() => parseScenarioList('execRace,twoTerminals'))).toMatch(/^USAGE: "twoTerminals" is not a race scenario\. Fix: Use one or more of execRace, appServerRotation, rotateBetween401s/);
    expect(usage(() => parseScenarioList(' , '))).toMatch(/^USAGE: No race scenario selected/);
    expect(usage(() => parseCount('--runs', '9', 1, 5))).toMatch(/^USAGE: --runs "9" is not a whole number from 1 to 5\. Fix:/);
    expect(usage(() => parseRaceInnerArgs(['--version', '0.80.0']))).toMatch(/^USAGE: Missing --binary/);
    expect(usage(() => parseRaceInnerArgs(['--binary', 'x', '--version', 'latest', '--scenarios', 'execRace', '--runs', '1', '--timeout-ms', '1000']))).toMatch(/^USAGE: "latest" is not a codex release version/);
  });

  it('reads observation lines and the done marker; a run without the marker is not done', () => {
    const line = `${RACE_LINE_PREFIX.observation}${JSON.stringify({ scenario: 'execRace', release: '0.80.0', run: 1, durationMs: 1, phases: [], problems: [] })}`;
    expect(parseRaceOutput(`noise\n${line}\n${RACE_LINE_PREFIX.done}\n`)).toMatchObject({ done: true, observations: [{ scenario: 'execRace' }] });
    expect(parseRaceOutput(`${line}\n${RACE_LINE_PREFIX.observation}{torn`).done).toBe(false);
  });
});
