import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessMockControl } from '../src/harness/in-process-mock-control.js';
import type { MockControl } from '../src/harness/mock-control.js';
import { referenceImplementation } from '../src/harness/reference-implementation.js';
import type { SuiteContext } from '../src/harness/suite.js';
import { executeShareCase, type ShareCase } from '../src/harness/suites/share-suite.js';
import type { ProfileId } from '../src/rules/profiles.js';
import { describeArea } from './support/area-run.js';

describeArea('SHARE', 'several processes, one login');

/** Hand-picked examples, read on the wire: what the reference sessions did, not only the verdicts. */
describe('SHARE hand-picked examples (reference sessions on one CODEX_HOME)', () => {
  let mock: MockControl;
  let scratch: string;
  beforeAll(async () => {
    mock = await inProcessMockControl(11);
    scratch = await mkdtemp(join(tmpdir(), 'share-spec-'));
  });
  afterAll(async () => {
    await mock.close();
    await rm(scratch, { recursive: true, force: true });
  });
  const play = async (profile: ProfileId, c: ShareCase, caseId: string) => {
    mock.backend.reset(17);
    const ctx: SuiteContext = { implementation: referenceImplementation({}, 'reference', profile), mock, seed: 17, runs: 1, scratch, implArg: 'reference', profile };
    const results = await executeShareCase(ctx, c, caseId);
    return { results, journal: mock.journal(caseId), home: join(scratch, caseId) };
  };
  const account = { plan: 'team' as const, fedramp: false };

  it('SHARE.RACE.001 [codex-0.171] two sessions in the refresh window together: one token request, the other adopts the winner\'s tokens, no lock file left', async () => {
    const { results, journal, home } = await play('codex-0.171', { kind: 'race', account, apiKeyInFile: true, width: 2 }, 'race-171');
    const tokens = journal.filter((e) => e.refresh !== undefined);
    expect(tokens.map((e) => [e.refresh?.generation, e.refresh?.outcome])).toEqual([[0, 'rotated']]);
    const used = journal.filter((e) => e.credential.kind === 'bearer' && e.verdict.status === 200).map((e) => (e.credential.kind === 'bearer' ? e.credential.issued?.lineage?.generation : undefined));
    expect(used).toEqual([1, 1]);
    expect(existsSync(join(home, 'auth.json.lock'))).toBe(false);
    expect(results.filter((r) => r.verdict !== 'pass')).toEqual([]);
    expect(results.map((r) => r.ruleId)).toContain('SHARE.RACE.001');
  });

  for (const profile of ['pr18811', 'codex-0.171'] as const) {
    it(`SHARE.RELOAD.002 [${profile}] a logout by another process: no token request, auth.json not recreated, the old token refused once recovery finds no login`, async () => {
      const { results, journal, home } = await play(profile, { kind: 'loggedOut', account, apiKeyInFile: false, width: 2 }, `logout-${profile}`);
      expect(journal.filter((e) => e.refresh !== undefined)).toEqual([]);
      expect(journal.map((e) => e.verdict.status)).toEqual([401]);
      expect(existsSync(join(home, 'auth.json'))).toBe(false);
      expect(results.find((r) => r.ruleId === 'SHARE.RELOAD.002')?.verdict).toBe('pass');
    });

    it(`SHARE.RELOAD.001 [${profile}] B rotates the login, A adopts generation 1 from disk without a token request of its own`, async () => {
      const { results, journal } = await play(profile, { kind: 'rotatedElsewhere', account, apiKeyInFile: true, width: 2 }, `rotated-${profile}`);
      expect(journal.filter((e) => e.refresh !== undefined).map((e) => e.refresh?.outcome)).toEqual(['rotated']);
      const generations = journal.filter((e) => e.credential.kind === 'bearer').map((e) => (e.credential.kind === 'bearer' ? e.credential.issued?.lineage?.generation : undefined));
      expect(generations).toEqual([1, 1]);
      expect(results.filter((r) => r.verdict !== 'pass')).toEqual([]);
    });
  }
});
