import { describe, expect, it } from 'vitest';
import { RULES, ruleIdsInProfile } from '../../../rules/catalogue.js';
import { PROFILE_IDS } from '../../../rules/profiles.js';
import { CODEX_CLI_SUITE_RULES, codexCliCaseResults, codexCliExercisedRules, codexCliRules, NOT_EXERCISED } from './judge-cases.js';
import type { RecordedRun } from './judge-run.js';
import { describeOutcome } from '../../codex-cli/codex-actors.js';
import { transportConfig } from '../../codex-cli/codex-cli-scenarios.js';

const apiKeyRun: RecordedRun = {
  expectation: { caseId: 'apiKey', mode: 'apiKey', bearer: 'sk-mock-aaaaaaaaaaaaaaaa', isFedramp: false, forgedJwt: false },
  config: {},
  entries: [
    {
      seq: 1,
      time: '2026-01-01T00:00:00Z',
      method: 'POST',
      url: 'https://api.openai.com/v1/responses',
      headers: { authorization: 'Bearer sk-mock-aaaaaaaaaaaaaaaa' },
      credential: { kind: 'bearer', fingerprint: 'fp:1', issued: { tokenKind: 'apiKey', expired: false } },
      verdict: { status: 200, handled: true },
    },
  ],
  outcome: { completed: true, description: 'exit 0' },
};

describe('codex-cli case results', () => {
  it('every rule of the profile gets a verdict, and no other; not-exercised rules are skipped with the reason', () => {
    for (const profile of PROFILE_IDS) {
      const results = codexCliCaseResults([{ run: apiKeyRun, durationMs: 5 }], profile);
      expect(new Set(results.map((r) => r.ruleId)), profile).toEqual(new Set(ruleIdsInProfile(profile)));
      const upload = results.find((r) => r.ruleId === 'GATE.UPLOAD.001');
      expect(upload?.verdict).toBe('skip');
      expect(upload?.message).toContain('ChatGPT auth is required to upload files for Codex Apps tools');
      expect(results.find((r) => r.ruleId === (profile === 'pr18811' ? 'URL.APIKEY.001' : 'URL.APIKEY.002'))).toMatchObject({ verdict: 'pass', caseId: 'codex-cli:apiKey' });
    }
  });

  it('HDR.AUTH.001 a failing line carries the case journal as evidence, credentials fingerprinted', () => {
    const doubled: RecordedRun = { ...apiKeyRun, entries: [{ ...apiKeyRun.entries[0]!, headers: { authorization: 'Bearer sk-mock-aaaaaaaaaaaaaaaa', 'x-api-key': 'sk-mock-aaaaaaaaaaaaaaaa' } }] };
    const results = codexCliCaseResults([{ run: doubled, durationMs: 5 }], 'codex-0.171');
    const failed = results.filter((r) => r.verdict === 'fail');
    expect(failed.map((r) => r.ruleId)).toContain('HDR.AUTH.001');
    for (const r of failed) {
      expect(r.evidence?.journal.map((e) => e.url)).toEqual(['https://api.openai.com/v1/responses']);
      expect(JSON.stringify(r.evidence)).not.toContain('sk-mock-aaaaaaaaaaaaaaaa');
    }
    expect(results.filter((r) => r.verdict === 'pass').every((r) => r.evidence === undefined)).toBe(true);
  });

  it('a rule no case could judge is skipped with the case outcomes, never passed', () => {
    const results = codexCliCaseResults([{ run: apiKeyRun, durationMs: 5 }], 'codex-0.171');
    const agent = results.find((r) => r.ruleId === 'AGENT.TASK.005');
    expect(agent?.verdict).toBe('skip');
    expect(agent?.message).toContain('apiKey: exit 0');
    expect(results.some((r) => r.ruleId === 'AGENT.TASK.001')).toBe(false);
  });

  it('the suite lists every live rule; each profile judges its own; not-exercised rules are live rules outside the exercised set', () => {
    expect([...CODEX_CLI_SUITE_RULES].sort()).toEqual(RULES.filter((r) => r.withdrawn === undefined).map((r) => r.id).sort());
    for (const id of Object.keys(NOT_EXERCISED)) expect(CODEX_CLI_SUITE_RULES, id).toContain(id);
    for (const profile of PROFILE_IDS) {
      expect(codexCliRules(profile)).toEqual(ruleIdsInProfile(profile));
      const exercised = codexCliExercisedRules(profile);
      expect(exercised.length, profile).toBeGreaterThan(15);
      for (const id of exercised) expect(NOT_EXERCISED[id], `${profile} ${id}`).toBeUndefined();
      expect(exercised.every((id) => codexCliRules(profile).includes(id))).toBe(true);
    }
  });

  it('the unisolated transport points every configurable URL at the loopback mock, never at production', () => {
    const t = transportConfig('loopbackHttp', 'http://127.0.0.1:4567');
    const urls = [...Object.values(t.config), ...Object.values(t.env)].filter((v): v is string => typeof v === 'string');
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const u of urls) expect(u.startsWith('http://127.0.0.1:4567/')).toBe(true);
    expect(transportConfig('netns')).toEqual({ config: {}, env: {} });
    expect(() => transportConfig('loopbackHttp', 'https://chatgpt.com')).toThrow(TypeError);
  });

  it('describes turn outcomes on one line', () => {
    const base = { flow: 'exec' as const, exitCode: 1, signal: null, timedOut: false, durationMs: 3, completed: false, stderrTail: 'ERROR:\n  boom' };
    expect(describeOutcome(base)).toBe('exit 1: ERROR: boom');
    expect(describeOutcome({ ...base, timedOut: true })).toBe('timed out after 3 ms');
  });
});
