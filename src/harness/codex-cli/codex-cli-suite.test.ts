import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { RULES } from '../../rules/catalogue.js';
import { referenceImplementation } from '../reference-implementation.js';
import { ALL_SUITES } from '../suites/index.js';
import { codexCliImplementation, isCodexCliImplementation } from './codex-cli-implementation.js';
import { codexCliSuite, countCases, planIsolation, playsFor } from './codex-cli-suite.js';
import { SHARE_RULES } from '../../rules/check-share.js';
import { AUTH_MODES } from '../../auth/codex-auth.js';
import { PROFILE_IDS } from '../../rules/profiles.js';
import { codexCliExercisedRules, NOT_EXERCISED, notExercised } from '../judges/codex-cli/judge-cases.js';
import { codexCliScenarios, rulesJudgedBy, sharedCredentialScenarios } from '../judges/codex-cli/case-view.js';
import type { BlackboxScenario } from '../scenario/scenario.js';
import { defaultRulePrefixesFor, isCodexCliImplArg, parseCodexCliImplArg, suitesFor } from './select-codex-cli.js';

describe('isolation plan', () => {
  it('refuses with BAD_CONFIG when no namespace can be made and --allow-network is not given', () => {
    let error: unknown;
    try {
      planIsolation(undefined, false);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConformanceInputError);
    expect((error as ConformanceInputError).code).toBe('BAD_CONFIG');
    expect((error as Error).message).toMatch(/--allow-network/);
  });

  it('runs unisolated only with --allow-network, and in the namespace whenever one can be made', () => {
    expect(planIsolation(undefined, true)).toEqual({ kind: 'unisolated' });
    expect(planIsolation('root', true)).toEqual({ kind: 'netns', mode: 'root' });
    expect(planIsolation('userns', false)).toEqual({ kind: 'netns', mode: 'userns' });
  });
});

describe('codex-cli implementation and selection', () => {
  it('declares every auth mode and no callsites or introspection; invoke is skipped', async () => {
    const impl = codexCliImplementation('0.171.0');
    expect(impl.capabilities).toEqual({ authModes: AUTH_MODES, callsites: [], introspect: [] });
    const session = await impl.start();
    expect((await session.invoke('backend-client.tasks.list')).kind).toBe('skipped');
  });

  it('accepts the object form the CLI extension point uses', () => {
    const impl = codexCliImplementation({ version: '0.170.0', allowNetwork: true });
    expect([impl.version, impl.options.allowNetwork]).toEqual(['0.170.0', true]);
    expect(isCodexCliImplementation(impl)).toBe(true);
    expect(isCodexCliImplementation(referenceImplementation())).toBe(false);
    expect(() => codexCliImplementation('latest')).toThrow(ConformanceInputError);
  });

  it('parses codex-cli[:<version>] and replaces every suite with the codex-cli suite', () => {
    expect(parseCodexCliImplArg('codex-cli')).toBe('0.171.0');
    expect(parseCodexCliImplArg('codex-cli:0.172.1')).toBe('0.172.1');
    expect(parseCodexCliImplArg('reference')).toBeUndefined();
    expect(() => parseCodexCliImplArg('codex-cli:')).toThrow(ConformanceInputError);
    expect(isCodexCliImplArg('codex-cli:1.2.3')).toBe(true);
    expect(suitesFor('codex-cli:0.171.0')).toEqual([codexCliSuite]);
    expect(suitesFor('reference')).toBe(ALL_SUITES);
  });

  it('defaults to the rules the black box exercises under the profile; every live rule is in the suite, no withdrawn one', () => {
    for (const profile of PROFILE_IDS) {
      expect(defaultRulePrefixesFor('reference', profile)).toBeUndefined();
      expect(defaultRulePrefixesFor('codex-cli', profile)).toEqual(codexCliExercisedRules(profile));
      for (const id of Object.keys(NOT_EXERCISED)) expect(codexCliExercisedRules(profile)).not.toContain(id);
    }
    expect(defaultRulePrefixesFor('codex-cli', 'codex-0.171')).toContain('GATE.APIKEY.003');
    expect(defaultRulePrefixesFor('codex-cli', 'pr18811')).toContain('GATE.APIKEY.002');
    expect(codexCliSuite.rules).toEqual(RULES.filter((r) => r.withdrawn === undefined).map((r) => r.id));
  });

  it('the suite refuses to judge another implementation', async () => {
    await expect(codexCliSuite.run({ implementation: referenceImplementation(), mock: undefined as never, seed: 1, runs: 1, scratch: '/tmp', implArg: 'reference', profile: 'codex-0.171' })).rejects.toThrow(/judges only --impl codex-cli/);
  });
});

describe('codex-cli counts (issue 21 item 5)', () => {
  it('REFRESH.REQUEST.002 REFRESH.REQUEST.003 are exercised by default: the refresh cases send token requests the per-request judge checks', () => {
    expect(codexCliExercisedRules('codex-0.171')).toEqual(expect.arrayContaining(['REFRESH.REQUEST.002', 'REFRESH.REQUEST.003']));
    expect(Object.keys(NOT_EXERCISED)).not.toContain('REFRESH.REQUEST.002');
  });

  it('REFRESH.401.002 what is exercised is derived from the data: a scenario with a 403 fault puts the rule in the selection', () => {
    const base = codexCliScenarios().find((x) => x.id === 'chatgpt')!;
    const with403: BlackboxScenario = { ...base, id: 'forbidden', mock: { ...base.mock, faults: [{ kind: 'forbiddenOnce', path: '/responses' }] } };
    expect(notExercised()['REFRESH.401.002']).toMatch(/403/);
    expect(codexCliExercisedRules('codex-0.171')).not.toContain('REFRESH.401.002');
    expect(codexCliExercisedRules('codex-0.171', [...codexCliScenarios(), with403])).toContain('REFRESH.401.002');
  });

  it('GATE.USAGE.001 is exercised because a case runs the interactive TUI (a codexTui actor); without one it is not', () => {
    expect(codexCliExercisedRules('codex-0.171')).toContain('GATE.USAGE.001');
    expect(codexCliExercisedRules('pr18811')).toContain('GATE.USAGE.001');
    const withoutTui = codexCliScenarios().filter((x) => !x.actors.some((a) => a.kind === 'codexTui'));
    expect(withoutTui.length).toBe(codexCliScenarios().length - 2);
    expect(notExercised(withoutTui)['GATE.USAGE.001']).toMatch(/only the interactive TUI/);
    expect(codexCliExercisedRules('codex-0.171', withoutTui)).not.toContain('GATE.USAGE.001');
  });

  it('every played case counts as a case run (the runner counts onCase calls)', () => {
    const seen: number[] = [];
    countCases(codexCliScenarios().length, (p) => seen.push(p.done));
    expect(seen).toEqual(codexCliScenarios().map((_, i) => i + 1));
  });
});

describe('shared-credential scenarios on the real binary (issue 17)', () => {
  it('SHARE.RACE.001 a SHARE rule is exercised black-box exactly when a shared-credential scenario\'s judge names it (derived, not listed)', () => {
    const exercised = codexCliExercisedRules('codex-0.171');
    const named = new Set(sharedCredentialScenarios().flatMap(rulesJudgedBy));
    for (const id of SHARE_RULES) expect(exercised.includes(id), id).toBe(named.has(id));
    expect(named.size).toBeGreaterThanOrEqual(5);
    const without = notExercised(codexCliScenarios());
    for (const id of SHARE_RULES) expect(without[id], id).toMatch(/no shared-credential scenario/);
  });

  it('SHARE.RELOAD.001 --rules SHARE plays only the shared-credential scenarios naming a selected rule; a mixed selection plays the cases too', () => {
    const cases = codexCliImplementation('0.171.0').options.caseIds;
    const share = playsFor(cases, ['SHARE.RACE.001']);
    expect(share.caseIds).toEqual([]);
    expect(share.scenarioFiles.map((f) => f.split('/').at(-1))).toEqual(['execRace.json']);
    const mixed = playsFor(cases, ['SHARE.RACE.001', 'HDR.BEARER.001']);
    expect(mixed.caseIds).toEqual(cases);
    expect(playsFor(cases, undefined).scenarioFiles.length).toBe(sharedCredentialScenarios().length);
  });
});
