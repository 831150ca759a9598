import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuthJsonSnapshot } from '../../scenario/recording.js';
import type { CoexistenceRecording } from './coexistence-recording.js';
import { compactDescription, judgeCoexistence, type CoexistenceCheck, type CoexistenceVerdict } from './judge-coexistence.js';

/**
 * The coexistence judge on recordings cut from a real run (`run --impl ecosystem --scenarios
 * coexistence --reporter json`, 2026-12-06: the clients beside codex 0.171.0; fingerprints only),
 * and on those recordings changed the way a broken writer would change them.
 */
const fixture = (name: string): CoexistenceRecording => JSON.parse(readFileSync(new URL(`./testdata/${name}.json`, import.meta.url), 'utf8')) as CoexistenceRecording;
const verdict = (vs: readonly CoexistenceVerdict[], check: CoexistenceCheck): CoexistenceVerdict => vs.find((v) => v.check === check)!;

/** The recording with the codex home's snapshot after step `index` changed by `edit`. */
function editAfter(r: CoexistenceRecording, index: number, edit: (s: AuthJsonSnapshot) => AuthJsonSnapshot): CoexistenceRecording {
  return { ...r, snapshots: r.snapshots.map((s) => (s.home === r.codexHome && s.afterStep === index && s.label.startsWith('after step') ? edit(s) : s)) };
}

describe('coexistence judge', () => {
  it('codexStillWorks fails when the client kept the rotated pair (pi-ai, clientFirst): the codex turn ends with "already used"', () => {
    const v = verdict(judgeCoexistence(fixture('pi-ai-clientFirst')), 'codexStillWorks');
    expect(v.verdict).toBe('fail');
    expect(v.evidence).toMatch(/^step 7 \(exec by codex\) did not complete \(exit 1: ERROR: .*refresh token was already used/);
    expect(v.evidence).toMatch(/presented family-\d+ generation 0, answered 401 reused \(spent by #\d+ by client/);
  });

  it('noDoubleRedemption names the family and generation redeemed twice and who redeemed it, in both orders', () => {
    const a = verdict(judgeCoexistence(fixture('pi-ai-clientFirst')), 'noDoubleRedemption');
    expect(a.verdict).toBe('fail');
    expect(a.evidence).toMatch(/^family-\d+ generation 0 was redeemed twice: #\d+ by client \(step 2 \(invoke by client\)\) answered 200 rotated → generation 1, then #\d+ by codex \(step 7 \(exec by codex\)\) answered 401 reused$/);
    const b = verdict(judgeCoexistence(fixture('pi-ai-codexFirst')), 'noDoubleRedemption');
    expect(b.verdict).toBe('fail');
    expect(b.evidence).toMatch(/#\d+ by codex \(step 2 \(exec by codex\)\) answered 200 rotated → generation 1, then #\d+ by client \(step 3 \(invoke by client\)\) answered 401 reused/);
    expect(verdict(judgeCoexistence(fixture('pi-ai-codexFirst')), 'codexStillWorks').verdict).toBe('pass');
  });

  it('neverOlderGeneration fails when auth.json still holds the generation the client spent', () => {
    const v = verdict(judgeCoexistence(fixture('pi-ai-clientFirst')), 'neverOlderGeneration');
    expect(v.verdict).toBe('fail');
    expect(v.evidence).toContain('the client redeemed the shared refresh token and kept the rotated pair to itself');
    expect(verdict(judgeCoexistence(fixture('pi-ai-clientFirst')), 'keepsForeignKeys')).toMatchObject({ verdict: 'pass', evidence: expect.stringContaining('never wrote') });
  });

  it('every check passes for a client that writes the rotated pair back keeping the foreign keys (openai-oauth, clientFirst)', () => {
    const vs = judgeCoexistence(fixture('openai-oauth-clientFirst'));
    expect(vs.map((v) => v.verdict).slice(0, 4)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(verdict(vs, 'keepsForeignKeys').evidence).toBe('step 2 (invoke by client) rewrote in place it keeping auth_mode, OPENAI_API_KEY, tokens.account_id, mode 600');
  });

  it('keepsForeignKeys names the key a rewrite dropped, and a mode that is no longer 600', () => {
    const r = fixture('openai-oauth-clientFirst');
    const dropped = verdict(judgeCoexistence(editAfter(r, 2, (s) => ({ ...s, apiKey: null }))), 'keepsForeignKeys');
    expect(dropped.verdict).toBe('fail');
    expect(dropped.evidence).toMatch(/^step 2 \(invoke by client\) rewrote CODEX_HOME\/auth.json and dropped OPENAI_API_KEY \(was fp:[0-9a-f]+\)$/);
    const mode = verdict(judgeCoexistence(editAfter(r, 2, (s) => ({ ...s, mode: '644' }))), 'keepsForeignKeys');
    expect(mode).toMatchObject({ verdict: 'fail', evidence: 'step 2 (invoke by client) left CODEX_HOME/auth.json with mode 644 (was 600)' });
  });

  it('neverHalfWritten fails when a reader polling auth.json during the client\'s step saw it half-written', () => {
    const r = fixture('openai-oauth-clientFirst');
    const watched = { ...r, steps: r.steps.map((s) => (s.actor === 'client' ? { ...s, authJsonWatch: { polls: 40, tornReads: s.index === 2 ? 2 : 0 } } : s)) };
    expect(verdict(judgeCoexistence(watched), 'neverHalfWritten')).toEqual({ check: 'neverHalfWritten', scenario: 'openai-oauth-clientFirst', verdict: 'fail', evidence: 'while step 2 (invoke by client) ran, a reader polling CODEX_HOME/auth.json found it half-written (2 of 40 polls did not parse)' });
    const whole = { ...r, steps: r.steps.map((s) => (s.actor === 'client' ? { ...s, authJsonWatch: { polls: 40, tornReads: 0 } } : s)) };
    expect(verdict(judgeCoexistence(whole), 'neverHalfWritten')).toMatchObject({ verdict: 'pass', evidence: '160 polls of CODEX_HOME/auth.json during the client\'s 4 step(s), none half-written' });
    expect(verdict(judgeCoexistence(fixture('opencode-openai-codex-auth-clientFirst')), 'neverHalfWritten').verdict).toBe('notExercised');
  });

  it('neverOlderGeneration fails when the client writes an older pair back over the one it minted', () => {
    const r = fixture('openai-oauth-clientFirst');
    const before = r.snapshots.find((s) => s.home === r.codexHome && s.afterStep === 0)!;
    const v = verdict(judgeCoexistence(editAfter(r, 2, (s) => ({ ...s, tokens: before.tokens! }))), 'neverOlderGeneration');
    expect(v.verdict).toBe('fail');
    expect(v.evidence).toMatch(/^after step 2 \(invoke by client\) CODEX_HOME\/auth.json holds family-\d+ generation 0, already spent by #\d+ by client/);
  });

  it('a client with its own login (opencode plugin) redeems its own family and leaves Codex\'s alone', () => {
    const vs = judgeCoexistence(fixture('opencode-openai-codex-auth-clientFirst'));
    expect(vs.map((v) => v.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'notExercised']);
    const families = [...verdict(vs, 'noDoubleRedemption').evidence.matchAll(/family-\d+/g)].map((m) => m[0]);
    expect(new Set(families).size).toBe(2);
  });

  it('a scenario without a codex turn after the client\'s request is not exercised, never a pass', () => {
    const r = fixture('openai-oauth-clientFirst');
    const vs = judgeCoexistence({ ...r, steps: r.steps.filter((s) => s.kind !== 'exec'), tokenRequests: [] });
    expect(verdict(vs, 'codexStillWorks').verdict).toBe('notExercised');
    expect(verdict(vs, 'noDoubleRedemption').verdict).toBe('notExercised');
  });

  it('compactDescription says each of the binary\'s repeated errors once', () => {
    expect(compactDescription('exit 1: d. ERROR: token was already used. ERROR: token was already used.')).toBe('exit 1: ERROR: token was already used.');
    expect(compactDescription('exit 0')).toBe('exit 0');
  });
});
