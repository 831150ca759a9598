import { describe, expect, it } from 'vitest';
import { fingerprint } from '../redact/fingerprint.js';
import { judgeShareScenario, type AuthJsonState, type ShareScenarioInput, type ShareStep } from './check-share.js';
import type { IssuedLineage, ObservedRequest, RefreshLineage, TokenLineage } from './observed-request.js';
import type { ProfileId } from './profiles.js';
import type { RuleResult } from './result.js';
import { observed } from './test-fixtures.js';

/**
 * The SHARE checkers on hand-built scenarios: a login family `F` of account `acct-1` whose
 * generation n has refresh token `rt-n` and access token `at-n`; a second login `G` of the same
 * account; `H` of another account. Each rule is shown holding and failing.
 */
const ACCOUNT = 'acct-1';
const OTHER = 'acct-2';
const rt = (family: string, g: number): string => `rt-${family}-${g}`;
const at = (family: string, g: number): string => `at-${family}-${g}`;
const lineage = (family: string, generation: number, accountId = ACCOUNT): TokenLineage => ({ family, generation, accountId });
const issuedPair = (family: string, g: number, accountId = ACCOUNT): IssuedLineage => ({ ...lineage(family, g, accountId), refreshFingerprint: fingerprint(rt(family, g)), accessFingerprint: fingerprint(at(family, g)) });
const ISSUED = [0, 1, 2, 3].flatMap((g) => [issuedPair('F', g), issuedPair('G', g), issuedPair('H', g, OTHER)]);

const file = (family: string | undefined, g = 0, extra: Record<string, unknown> = {}, mode = 0o600): AuthJsonState => ({
  text: JSON.stringify(
    family === undefined
      ? extra
      : { auth_mode: 'chatgpt', OPENAI_API_KEY: 'sk-user-key', ...extra, tokens: { id_token: 'x.y.z', access_token: at(family, g), refresh_token: rt(family, g), account_id: family === 'H' ? OTHER : ACCOUNT }, last_refresh: `2026-01-0${g + 1}T00:00:00Z` },
  ),
  mode,
});

let seq = 0;
const tokenRequest = (family: string, g: number, outcome: RefreshLineage['outcome'] = 'rotated', accountId = family === 'H' ? OTHER : ACCOUNT): ObservedRequest =>
  observed({
    seq: ++seq,
    method: 'POST',
    url: 'https://auth.openai.com/oauth/token',
    refresh: { ...lineage(family, g, accountId), refreshFingerprint: fingerprint(rt(family, g)), outcome, ...(outcome === 'rotated' ? { minted: { generation: g + 1, refreshFingerprint: fingerprint(rt(family, g + 1)), accessFingerprint: fingerprint(at(family, g + 1)) } } : {}) },
    verdict: { status: outcome === 'rotated' ? 200 : 401, handled: true, endpoint: 'oauth.token' },
  });
const backendRequest = (family: string, g: number, status = 200, path = '/backend-api/wham/tasks/list', accountId = family === 'H' ? OTHER : ACCOUNT): ObservedRequest =>
  observed({
    seq: ++seq,
    url: `https://chatgpt.com${path}`,
    credential: { kind: 'bearer', fingerprint: fingerprint(at(family, g)), issued: { tokenKind: 'chatgptAccess', accountId, expired: false, lineage: lineage(family, g, accountId) } },
    verdict: { status, handled: true },
  });

/** A scenario built step by step: each client step records the journal seqs it covers. */
function scenario(profile: ProfileId = 'codex-0.171', oneManager = true): {
  client(actors: readonly string[], before: AuthJsonState | undefined, after: AuthJsonState | undefined, requests: () => ObservedRequest[]): void;
  write(state: AuthJsonState): void;
  judge(rules?: readonly string[]): RuleResult[];
} {
  const journal: ObservedRequest[] = [];
  const steps: ShareStep[] = [];
  return {
    client(actors, before, after, requests) {
      const fromSeq = seq;
      journal.push(...requests());
      steps.push({ kind: 'client', actors, label: `${actors.join('+')} runs`, fromSeq, toSeq: seq, oneAuthManager: oneManager, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
    },
    write(state) {
      steps.push({ kind: 'write', actors: ['login'], label: 'another process writes auth.json', fromSeq: seq, toSeq: seq, after: state });
    },
    judge(rules) {
      const input: ShareScenarioInput = { profile, caseId: 'c1', journal, issued: ISSUED, steps, ...(rules === undefined ? {} : { rules }) };
      return judgeShareScenario(input);
    },
  };
}

const verdictOf = (results: readonly RuleResult[], id: string): string | undefined => results.find((r) => r.ruleId === id && r.verdict === 'fail')?.verdict ?? results.find((r) => r.ruleId === id)?.verdict;

describe('SHARE checkers', () => {
  it('SHARE.RELOAD.001 passes when the client adopts the rotated tokens on disk and fails when it redeems the generation they replaced', () => {
    const good = scenario();
    good.client(['A'], file('F', 1), file('F', 1), () => [backendRequest('F', 1)]);
    expect(verdictOf(good.judge(), 'SHARE.RELOAD.001')).toBe('pass');
    const bad = scenario();
    bad.client(['A'], file('F', 1), file('F', 1), () => [tokenRequest('F', 0, 'reused'), backendRequest('F', 0, 401)]);
    const results = bad.judge();
    expect(verdictOf(results, 'SHARE.RELOAD.001')).toBe('fail');
    expect(results.find((r) => r.ruleId === 'SHARE.RELOAD.001')?.message).toContain('family F generation 0'.replace('family ', ''));
  });

  it('SHARE.RELOAD.002 passes when another account on disk stops the refresh and fails on a redemption or a rewrite', () => {
    const good = scenario();
    good.client(['A'], file('H'), file('H'), () => [backendRequest('F', 0, 401)]);
    expect(verdictOf(good.judge(), 'SHARE.RELOAD.002')).toBe('pass');
    const redeemed = scenario();
    redeemed.client(['A'], file('H'), file('H'), () => [tokenRequest('F', 0), backendRequest('F', 1)]);
    expect(verdictOf(redeemed.judge(), 'SHARE.RELOAD.002')).toBe('fail');
    const deleted = scenario();
    deleted.client(['A'], { text: undefined }, { text: undefined }, () => [backendRequest('F', 0, 401)]);
    expect(verdictOf(deleted.judge(), 'SHARE.RELOAD.002')).toBe('pass');
    const rewritten = scenario();
    rewritten.client(['A'], file('H'), { text: undefined }, () => [backendRequest('F', 0, 401)]);
    expect(verdictOf(rewritten.judge(), 'SHARE.RELOAD.002')).toBe('fail');
  });

  it('SHARE.RELOAD.003 passes when a 401 is retried with the newer tokens on disk and fails when the client refreshes instead', () => {
    const good = scenario();
    good.client(['A'], file('F', 1), file('F', 1), () => [backendRequest('F', 0, 401), backendRequest('F', 1)]);
    expect(verdictOf(good.judge(), 'SHARE.RELOAD.003')).toBe('pass');
    const bad = scenario();
    bad.client(['A'], file('F', 1), file('F', 1), () => [backendRequest('F', 0, 401), tokenRequest('F', 0, 'reused')]);
    expect(verdictOf(bad.judge(), 'SHARE.RELOAD.003')).toBe('fail');
    const noRetry = scenario();
    noRetry.client(['A'], file('F', 1), file('F', 1), () => [backendRequest('F', 0, 401)]);
    expect(verdictOf(noRetry.judge(), 'SHARE.RELOAD.003')).toBe('fail');
  });

  it('SHARE.RELOAD.001 and SHARE.RELOAD.003 do not fail the 401 recovery\'s RefreshToken step when the rotation landed between its two 401s (by design), and still fail a redemption no such recovery explains', () => {
    // rotateBetween401s: the write lands inside the answer to the second 401 on /models.
    const between = scenario();
    between.client(['exec'], undefined, file('F', 0), () => [backendRequest('F', 0, 401, '/backend-api/codex/models'), backendRequest('F', 0, 401, '/backend-api/codex/models')]);
    between.write(file('F', 1));
    between.client(['exec'], file('F', 1), file('F', 1), () => [tokenRequest('F', 0, 'reused'), backendRequest('F', 0, 401, '/backend-api/codex/responses'), backendRequest('F', 1, 200, '/backend-api/codex/responses')]);
    const results = between.judge();
    expect(verdictOf(results, 'SHARE.RELOAD.001')).toBe('pass');
    expect(results.find((r) => r.ruleId === 'SHARE.RELOAD.001')?.message).toMatch(/except #\d+: the 401 recovery's RefreshToken step/);
    expect(verdictOf(results, 'SHARE.RELOAD.003')).toBe('pass');
    // One 401 before the write: that recovery's Reload step is still to come after it, so the redemption is not explained.
    const once = scenario();
    once.client(['exec'], file('F', 0), file('F', 0), () => [backendRequest('F', 0, 401, '/backend-api/codex/models')]);
    once.write(file('F', 1));
    once.client(['exec'], file('F', 1), file('F', 1), () => [tokenRequest('F', 0, 'reused'), backendRequest('F', 1, 200, '/backend-api/codex/models')]);
    expect(verdictOf(once.judge(), 'SHARE.RELOAD.001')).toBe('fail');
    // A pair explains one redemption, not two.
    const twice = scenario();
    twice.client(['exec'], file('F', 0), file('F', 0), () => [backendRequest('F', 0, 401, '/backend-api/codex/models'), backendRequest('F', 0, 401, '/backend-api/codex/models')]);
    twice.write(file('F', 1));
    twice.client(['exec'], file('F', 1), file('F', 1), () => [tokenRequest('F', 0, 'reused'), tokenRequest('F', 0, 'reused')]);
    expect(verdictOf(twice.judge(), 'SHARE.RELOAD.001')).toBe('fail');
    // A recovery that begins after the write reloads: a token request after its 401 fails RELOAD.003.
    const after = scenario();
    after.client(['exec'], file('F', 0), file('F', 0), () => [backendRequest('F', 0, 401, '/backend-api/codex/models'), backendRequest('F', 0, 401, '/backend-api/codex/models')]);
    after.write(file('F', 1));
    after.client(['exec'], file('F', 1), file('F', 1), () => [tokenRequest('F', 0, 'reused'), backendRequest('F', 0, 401, '/backend-api/codex/responses'), tokenRequest('F', 0, 'reused'), backendRequest('F', 1, 200, '/backend-api/codex/responses')]);
    expect(verdictOf(after.judge(), 'SHARE.RELOAD.003')).toBe('fail');
  });

  it('SHARE.SINGLEFLIGHT.001 passes on one redemption for concurrent requests and fails on two of the same token', () => {
    const good = scenario();
    good.client(['A'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), backendRequest('F', 1), backendRequest('F', 1)]);
    expect(verdictOf(good.judge(), 'SHARE.SINGLEFLIGHT.001')).toBe('pass');
    const bad = scenario();
    bad.client(['A'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), tokenRequest('F', 0, 'reused'), backendRequest('F', 1)]);
    expect(verdictOf(bad.judge(), 'SHARE.SINGLEFLIGHT.001')).toBe('fail');
    expect(verdictOf(bad.judge(), 'SHARE.RACE.001')).toBeUndefined();
    // A `codex exec` holds several auth managers, each with its own refresh lock: not judged.
    const exec = scenario('codex-0.171', false);
    exec.client(['codex exec'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), tokenRequest('F', 0, 'reused')]);
    expect(verdictOf(exec.judge(), 'SHARE.SINGLEFLIGHT.001')).toBeUndefined();
  });

  it('SHARE.RACE.001 judges steps of several actors at once, and only under codex-0.171', () => {
    const bad = scenario();
    bad.client(['A', 'B'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), tokenRequest('F', 0, 'reused')]);
    expect(verdictOf(bad.judge(), 'SHARE.RACE.001')).toBe('fail');
    const good = scenario();
    good.client(['A', 'B'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), backendRequest('F', 1), backendRequest('F', 1)]);
    expect(verdictOf(good.judge(), 'SHARE.RACE.001')).toBe('pass');
    const older = scenario('pr18811');
    older.client(['A', 'B'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), tokenRequest('F', 0, 'reused')]);
    expect(verdictOf(older.judge(), 'SHARE.RACE.001')).toBeUndefined();
  });

  it('SHARE.ADOPT.001 passes when a long-lived actor adopts a same-account login written elsewhere and fails when it redeems the replaced login', () => {
    const good = scenario();
    good.client(['A'], file('F', 0), file('F', 0), () => [backendRequest('F', 0)]);
    good.write(file('G', 0));
    good.client(['A'], file('G', 0), file('G', 0), () => [backendRequest('G', 0)]);
    expect(verdictOf(good.judge(), 'SHARE.ADOPT.001')).toBe('pass');
    const bad = scenario();
    bad.client(['A'], file('F', 0), file('F', 0), () => [backendRequest('F', 0)]);
    bad.write(file('G', 0));
    bad.client(['A'], file('G', 0), file('F', 1), () => [tokenRequest('F', 0), backendRequest('F', 1)]);
    expect(verdictOf(bad.judge(), 'SHARE.ADOPT.001')).toBe('fail');
  });

  it('SHARE.APPS.001 fails when the Codex Apps MCP request after a refresh still carries the replaced token', () => {
    const good = scenario();
    good.client(['A'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), backendRequest('F', 1)]);
    good.client(['A'], file('F', 1), file('F', 1), () => [backendRequest('F', 1, 200, '/backend-api/ps/mcp')]);
    expect(verdictOf(good.judge(), 'SHARE.APPS.001')).toBe('pass');
    const bad = scenario();
    bad.client(['A'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), backendRequest('F', 1)]);
    bad.client(['A'], file('F', 1), file('F', 1), () => [backendRequest('F', 0, 401, '/backend-api/ps/mcp')]);
    const results = bad.judge();
    expect(verdictOf(results, 'SHARE.APPS.001')).toBe('fail');
    expect(results.find((r) => r.ruleId === 'SHARE.APPS.001')?.message).toContain('Codex Apps MCP request');
    expect(verdictOf(scenario('pr18811').judge(), 'SHARE.APPS.001')).toBeUndefined();
  });

  it('SHARE.WRITE.001 fails when a rewrite drops OPENAI_API_KEY or tokens.account_id', () => {
    const good = scenario();
    good.client(['A'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0)]);
    expect(verdictOf(good.judge(), 'SHARE.WRITE.001')).toBe('pass');
    const dropped = scenario();
    dropped.client(['A'], file('F', 0), { text: JSON.stringify({ tokens: { access_token: at('F', 1), refresh_token: rt('F', 1), account_id: ACCOUNT } }), mode: 0o600 }, () => [tokenRequest('F', 0)]);
    expect(verdictOf(dropped.judge(), 'SHARE.WRITE.001')).toBe('fail');
    const noAccount = scenario();
    noAccount.client(['A'], file('F', 0), { text: JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: 'sk-user-key', tokens: { access_token: at('F', 1), refresh_token: rt('F', 1) } }), mode: 0o600 }, () => [tokenRequest('F', 0)]);
    expect(verdictOf(noAccount.judge(), 'SHARE.WRITE.001')).toBe('fail');
  });

  it('SHARE.WRITE.002 fails when a redemption of the on-disk login is not written back', () => {
    const bad = scenario();
    bad.client(['A'], file('F', 0), file('F', 0), () => [tokenRequest('F', 0), backendRequest('F', 1)]);
    expect(verdictOf(bad.judge(), 'SHARE.WRITE.002')).toBe('fail');
    const good = scenario();
    good.client(['A'], file('F', 0), file('F', 1), () => [tokenRequest('F', 0), backendRequest('F', 1)]);
    expect(verdictOf(good.judge(), 'SHARE.WRITE.002')).toBe('pass');
  });

  it('SHARE.WRITE.003 fails when a writer puts an older generation of the login back', () => {
    const bad = scenario();
    bad.client(['switcher'], file('F', 2), file('F', 1), () => []);
    expect(verdictOf(bad.judge(), 'SHARE.WRITE.003')).toBe('fail');
    const good = scenario();
    good.client(['A'], file('F', 1), file('F', 2), () => [tokenRequest('F', 1)]);
    expect(verdictOf(good.judge(), 'SHARE.WRITE.003')).toBe('pass');
  });

  it('SHARE.WRITE.004 fails on a half-written file or a file left world-readable', () => {
    const half = scenario();
    half.client(['A'], file('F', 0), { text: '{"tokens": {"access_tok', mode: 0o600 }, () => [tokenRequest('F', 0)]);
    expect(verdictOf(half.judge(), 'SHARE.WRITE.004')).toBe('fail');
    const readable = scenario();
    readable.client(['A'], file('F', 0), file('F', 1, {}, 0o644), () => [tokenRequest('F', 0)]);
    expect(verdictOf(readable.judge(), 'SHARE.WRITE.004')).toBe('fail');
    const kept = scenario();
    kept.client(['A'], file('F', 0, {}, 0o644), file('F', 1, {}, 0o644), () => [tokenRequest('F', 0)]);
    expect(verdictOf(kept.judge(), 'SHARE.WRITE.004')).toBe('pass');
  });

  it('messages carry lineage and fingerprints, never a token', () => {
    const bad = scenario();
    bad.client(['A'], file('F', 1), file('F', 0), () => [tokenRequest('F', 0, 'reused'), backendRequest('F', 0, 401)]);
    const text = JSON.stringify(bad.judge());
    for (const g of [0, 1]) {
      expect(text).not.toContain(rt('F', g));
      expect(text).not.toContain(at('F', g));
    }
    expect(text).toContain('fp:');
  });
});
