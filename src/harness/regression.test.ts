import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutantImplementation } from '../../scenarios/mutants/index.js';
import { ConformanceInputError } from '../errors.js';
import { ruleById } from '../rules/catalogue.js';
import { DEFAULT_PROFILE } from '../rules/profiles.js';
import { inProcessMockControl } from './in-process-mock-control.js';
import type { MockControl } from './mock-control.js';
import { referenceImplementation } from './reference-implementation.js';
import { loadRegression, parseRegression, replayRegression, replaySavedFailure, type Regression } from './regression.js';
import { ruleVerdict } from './results.js';
import { selectImplementation } from './select-implementation.js';
import { tempDir } from '../testing/temp-dirs.js';

const REGRESSION_DIR = fileURLToPath(new URL('../../scenarios/regressions/', import.meta.url));

let mock: MockControl;
beforeAll(async () => {
  mock = await inProcessMockControl(5);
});
afterAll(async () => {
  await mock.close();
});

async function regressionFiles(): Promise<string[]> {
  return (await readdir(REGRESSION_DIR)).filter((f) => f.endsWith('.json')).sort();
}

describe('known-bug regressions in scenarios/regressions/', () => {
  it('holds at least the two PR #18811 review findings', async () => {
    const files = await regressionFiles();
    const loaded = await Promise.all(files.map((f) => loadRegression(join(REGRESSION_DIR, f))));
    const ids = loaded.filter((r): r is Regression => r.kind === 'regression').map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['PR18811-REVIEW-1', 'PR18811-REVIEW-2']));
  });

  it('every regression reproduces (fails its rule) on its implementation and passes on the reference', async () => {
    for (const file of await regressionFiles()) {
      const reg = await loadRegression(join(REGRESSION_DIR, file));
      if (reg.kind !== 'regression') continue;
      // Both sides behave as the profile the regression is judged under.
      const buggy = await selectImplementation(reg.implementation, reg.profile !== undefined ? { profile: reg.profile } : {});
      const reproduced = await replayRegression(reg, buggy, mock);
      expect(reproduced.every((c) => c.ruleId === reg.rule), `${reg.id} judges only ${reg.rule}`).toBe(true);
      expect(ruleVerdict(reproduced), `${reg.id} must fail ${reg.rule} on ${reg.implementation}`).toBe('fail');
      expect(ruleById(reg.rule)?.profiles, `${reg.id} judges ${reg.rule} under ${reg.profile ?? DEFAULT_PROFILE}`).toContain(reg.profile ?? DEFAULT_PROFILE);
      const fixed = await replayRegression(reg, referenceImplementation({}, 'reference', reg.profile), mock);
      expect(ruleVerdict(fixed), `${reg.id} must pass ${reg.rule} on the reference: ${fixed.map((c) => c.message).join('; ')}`).toBe(reg.scenario.expectedVerdict);
    }
  });
});

describe('loadRegression refuses bad files with BAD_SCENARIO', () => {
  const valid = {
    id: 'X-1',
    title: 't',
    rule: 'URL.AGENT.005',
    description: 'd',
    source: ['s'],
    implementation: 'reference',
    scenario: { kind: 'request', auth: { mode: 'apiKey', via: 'authJson' }, callsite: 'cloud-tasks.list', base: 'backend-api/', appsEnabled: true, expectedVerdict: 'pass' },
  };

  async function write(content: string): Promise<string> {
    const dir = await tempDir('regression-test-');
    const path = join(dir, 'r.json');
    await writeFile(path, content);
    return path;
  }

  it('accepts a valid regression and a saved failure (with the profile it was printed under)', () => {
    expect(parseRegression(valid, 'v').kind).toBe('regression');
    expect(parseRegression({ ...valid, profile: 'pr18811' }, 'v')).toMatchObject({ kind: 'regression', profile: 'pr18811' });
    expect(parseRegression({ impl: 'mutant:account-id-dropped', rules: 'HDR.ACCOUNT.001', seed: 3, path: '0:1' }, 's')).toEqual({ kind: 'savedFailure', impl: 'mutant:account-id-dropped', rules: 'HDR.ACCOUNT.001', seed: 3, path: '0:1' });
    expect(parseRegression({ impl: 'reference', rules: 'URL.AGENT.005', seed: 3, profile: 'pr18811' }, 's')).toEqual({ kind: 'savedFailure', impl: 'reference', rules: 'URL.AGENT.005', seed: 3, profile: 'pr18811' });
  });

  it.each([
    ['a missing field', (() => { const { rule: _r, ...rest } = valid; return rest; })()],
    ['an unknown rule', { ...valid, rule: 'HDR.NOPE.001' }],
    ['an unknown callsite', { ...valid, scenario: { ...valid.scenario, callsite: 'nope' } }],
    ['an unknown base variant', { ...valid, scenario: { ...valid.scenario, base: 'elsewhere' } }],
    ['a bad implementation', { ...valid, implementation: 'banana' }],
    ['an extra field', { ...valid, extra: 1 }],
    ['an identitySwitch judged by a header rule', { ...valid, rule: 'HDR.ACCOUNT.001', scenario: { kind: 'identitySwitch', identities: [{ mode: 'chatgptAuthTokens', account: { plan: 'plus', fedramp: false } }, { mode: 'chatgptAuthTokens', account: { plan: 'team', fedramp: false } }], base: 'backend-api/', restartBetween: false, expectedVerdict: 'pass' } }],
    ['a saved failure without a seed', { impl: 'reference', rules: 'HDR' }],
    ['a saved failure with an unknown profile', { impl: 'reference', rules: 'HDR', seed: 1, profile: 'codex-9' }],
    ['a regression with an unknown profile', { ...valid, profile: 'codex-9' }],
  ])('%s', (_what, value) => {
    let error: unknown;
    try {
      parseRegression(value, 'case.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConformanceInputError);
    expect((error as ConformanceInputError).code).toBe('BAD_SCENARIO');
    expect((error as Error).message).toContain('case.json');
  });

  it('a file that is not JSON or cannot be read', async () => {
    await expect(loadRegression(await write('{not json'))).rejects.toMatchObject({ code: 'BAD_SCENARIO' });
    await expect(loadRegression(join(tmpdir(), 'no-such-regression.json'))).rejects.toMatchObject({ code: 'BAD_SCENARIO' });
  });

  it('any JSON value gives a regression or a typed error, never a crash (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ impl: fc.string(), rules: fc.string(), seed: fc.integer() }, { requiredKeys: [] })), (value) => {
        try {
          expect(['regression', 'savedFailure']).toContain(parseRegression(value, 'fuzz').kind);
        } catch (e) {
          expect(e).toBeInstanceOf(ConformanceInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('replaySavedFailure', () => {
  /** A run's case ids repeat from run to run, so each run gets a mock of its own (as the CLI does). */
  async function onFreshMock<T>(fn: (m: MockControl) => Promise<T>): Promise<T> {
    const own = await inProcessMockControl(9);
    try {
      return await fn(own);
    } finally {
      await own.close();
    }
  }

  it('replays a printed counterexample: fails on the mutant, passes on the reference', async () => {
    const saved = { kind: 'savedFailure' as const, impl: 'mutant:account-id-dropped', rules: 'HDR.ACCOUNT.001', seed: 42 };
    const first = await onFreshMock((m) => replaySavedFailure(saved, m, { implementation: mutantImplementation('account-id-dropped') }));
    const failure = first.cases.find((c) => c.verdict === 'fail' && c.ruleId === 'HDR.ACCOUNT.001');
    expect(failure?.replay?.path).toBeDefined();
    const replay = { ...saved, seed: failure!.replay!.seed, path: failure!.replay!.path! };
    const again = await onFreshMock((m) => replaySavedFailure(replay, m));
    expect(again.cases.find((c) => c.ruleId === 'HDR.ACCOUNT.001')?.counterexample).toBe(failure!.counterexample);
    const onReference = await onFreshMock((m) => replaySavedFailure(replay, m, { implementation: referenceImplementation() }));
    expect(ruleVerdict(onReference.cases.filter((c) => c.ruleId === 'HDR.ACCOUNT.001'))).toBe('pass');
  });

  it('replays under the profile the failure was printed with (a rule of pr18811 alone needs it)', async () => {
    // Without the profile, the newest profile has no URL.AGENT.005: a typed USAGE error, not a vacuous pass.
    await expect(onFreshMock((m) => replaySavedFailure({ kind: 'savedFailure', impl: 'reference', rules: 'URL.AGENT.005', seed: 1, path: '0' }, m))).rejects.toMatchObject({ code: 'USAGE' });
    const report = await onFreshMock((m) => replaySavedFailure({ kind: 'savedFailure', impl: 'reference', rules: 'URL.AGENT.005', seed: 1, path: '0', profile: 'pr18811' }, m));
    expect(report.header.profile).toBe('pr18811');
    expect(report.header.rulesSelected).toEqual(['URL.AGENT.005']);
  });

  it('refuses a path that spans several suites with a USAGE error', async () => {
    await expect(onFreshMock((m) => replaySavedFailure({ kind: 'savedFailure', impl: 'reference', rules: 'HDR,CACHE', seed: 1, path: '0' }, m))).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('saved failures with process history', () => {
  it('HDR.ACCOUNT.001 a saved failure carries afterPaths (--after-path) for a failure that needed its process history; a bad path is refused', () => {
    const saved = { impl: 'reference', rules: 'HDR.ACCOUNT.001', seed: 7, path: '2', afterPaths: ['0', '1', '2:0'] };
    expect(parseRegression(saved, 's')).toMatchObject({ kind: 'savedFailure', afterPaths: ['0', '1', '2:0'] });
    expect(() => parseRegression({ ...saved, afterPaths: ['x'] }, 's')).toThrow(ConformanceInputError);
    expect(() => parseRegression({ ...saved, afterPaths: [] }, 's')).toThrow(ConformanceInputError);
  });
});
