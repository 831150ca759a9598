import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../redact/fingerprint.js';
import type { ObservedRequest } from '../../../rules/observed-request.js';
import type { RuleResult } from '../../../rules/result.js';
import type { AuthJsonObservation } from '../../scenario/auth-json-watch.js';
import type { RecordedRun } from './judge-run.js';
import { judgeScenario as judgeUnder } from './judge-families.js';
import { matrixProfileFor } from '../../codex-cli/release-facts.js';
import { codexCliCaseIds } from './case-view.js';
import { inProfile, ruleById } from '../../../rules/catalogue.js';
import type { CaseObservations } from '../../codex-cli/case-recording.js';

/** Judged under the profile the release maps to (0.125.0: pr18811, 0.171.0: codex-0.171, between: the newest). */
const judgeScenario = (r: RecordedRun, version: string): RuleResult[] => judgeUnder(r, version, matrixProfileFor(version));

let seq = 0;
function req(method: string, url: string, token: string | undefined, status: number, extra: Partial<ObservedRequest> = {}): ObservedRequest {
  seq += 1;
  return {
    seq,
    time: '2026-01-01T00:00:00Z',
    method,
    url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}`, 'chatgpt-account-id': 'acct-1' },
    credential: token === undefined ? { kind: 'none' } : { kind: 'bearer', fingerprint: fingerprint(token) },
    verdict: { status, handled: true },
    ...extra,
  };
}

const OLD = 'old.access.token';
const NEW = 'new.access.token';
const auth = (over: Partial<AuthJsonObservation> = {}): AuthJsonObservation => ({
  before: { exists: true, inode: 1, mode: 0o600, torn: false, accessToken: fingerprint(OLD), refreshToken: fingerprint('rt1'), lastRefresh: '2026-01-01T00:00:00Z' },
  after: { exists: true, inode: 2, mode: 0o600, torn: false, accessToken: fingerprint(NEW), refreshToken: fingerprint('rt2'), lastRefresh: '2026-01-01T00:00:05Z' },
  seen: [],
  polls: 100,
  tornReads: 0,
  ...over,
});
const obs = (o: Partial<CaseObservations> = {}): CaseObservations => ({ modelRequests: [], turns: [], ...o });

function run(caseId: string, entries: ObservedRequest[], observations: CaseObservations, description = 'exit 0', completed = true): RecordedRun {
  return { expectation: { caseId, mode: 'chatgpt', accountId: 'acct-1', isFedramp: false, forgedJwt: false }, config: {}, entries, outcome: { completed, description }, observations };
}
const verdict = (rs: readonly RuleResult[], id: string): string | undefined => (rs.some((r) => r.ruleId === id && r.verdict === 'fail') ? 'fail' : rs.find((r) => r.ruleId === id)?.verdict);

describe('judgeScenario: refresh', () => {
  const refreshed = (): ObservedRequest[] => [
    req('POST', 'https://auth.openai.com/oauth/token', undefined, 200, { headers: { 'content-type': 'application/json' } }),
    req('GET', 'https://chatgpt.com/backend-api/wham/accounts/check', NEW, 200),
    req('GET', 'https://chatgpt.com/backend-api/codex/responses', NEW, 200, { headers: { authorization: `Bearer ${NEW}`, upgrade: 'websocket' } }),
  ];

  it('REFRESH.PROACTIVE.002 passes when an expired token is refreshed before the first backend request (REFRESH.PROACTIVE.001 under pr18811)', () => {
    const rs = judgeScenario(run('refreshExpired', refreshed(), obs({ authJson: auth() })), '0.171.0');
    expect(verdict(rs, 'REFRESH.PROACTIVE.002')).toBe('pass');
    expect(verdict(rs, 'REFRESH.PROACTIVE.001')).toBeUndefined();
    expect(verdict(rs, 'REFRESH.TOKEN.001')).toBe('pass');
    expect(verdict(rs, 'REFRESH.PERSIST.001')).toBe('pass');
    expect(verdict(rs, 'REFRESH.PERSIST.003')).toBe('pass');
    expect(verdict(judgeScenario(run('refreshExpired', refreshed(), obs({ authJson: auth() })), '0.125.0'), 'REFRESH.PROACTIVE.001')).toBe('pass');
  });

  it('REFRESH.PROACTIVE.002 / .001 follow the profile: a token 2 minutes from expiry is refreshed by 0.171 (5-minute window), not by 0.125', () => {
    const inWindow = run('refreshWindow', refreshed(), obs({ authJson: auth() }));
    expect(verdict(judgeScenario(inWindow, '0.171.0'), 'REFRESH.PROACTIVE.002')).toBe('pass');
    // 0.129 refreshes only expired tokens; judged under the newest profile it gets no verdict on the 5-minute rule, never a failure.
    expect(judgeScenario(inWindow, '0.129.0').filter((r) => r.ruleId.startsWith('REFRESH.PROACTIVE'))).toEqual([]);
    const rs = judgeScenario(inWindow, '0.125.0');
    expect(verdict(rs, 'REFRESH.PROACTIVE.001')).toBe('fail');
    expect(rs.find((r) => r.ruleId === 'REFRESH.PROACTIVE.001' && r.verdict === 'fail')?.actual).toContain('expires_at <= Utc::now()');
    const backendFirst = [req('GET', 'https://chatgpt.com/backend-api/wham/accounts/check', OLD, 200)];
    expect(verdict(judgeScenario(run('refreshWindow', backendFirst, obs()), '0.125.0'), 'REFRESH.PROACTIVE.001')).toBe('pass');
    expect(verdict(judgeScenario(run('refreshWindow', backendFirst, obs()), '0.171.0'), 'REFRESH.PROACTIVE.002')).toBe('fail');
  });

  it('REFRESH.TOKEN.001 fails when the old token comes back after the new one was used; REFRESH.PERSIST.003 takes an in-place rewrite, fails on mode 0644 or a stray file', () => {
    const entries = [...refreshed(), req('GET', 'https://chatgpt.com/backend-api/wham/settings/user', OLD, 401)];
    const rs = judgeScenario(run('refreshExpired', entries, obs({ authJson: auth({ after: { ...auth().after, inode: 1 }, tornReads: 2 }) })), '0.171.0');
    expect(verdict(rs, 'REFRESH.TOKEN.001')).toBe('fail');
    expect(verdict(rs, 'REFRESH.PERSIST.003')).toBe('pass');
    expect(verdict(judgeScenario(run('refreshExpired', refreshed(), obs({ authJson: auth({ after: { ...auth().after, mode: 0o644 } }) })), '0.171.0'), 'REFRESH.PERSIST.003')).toBe('fail');
    expect(verdict(judgeScenario(run('refreshExpired', refreshed(), obs({ authJson: auth({ strayFiles: ['auth.json.tmp'] }) })), '0.171.0'), 'REFRESH.PERSIST.003')).toBe('fail');
    // 0.171's credential lock sidecar is its design; the same file beside a 0.125 auth.json is a leftover.
    expect(verdict(judgeScenario(run('refreshExpired', refreshed(), obs({ authJson: auth({ strayFiles: ['auth.json.lock'] }) })), '0.171.0'), 'REFRESH.PERSIST.003')).toBe('pass');
    expect(verdict(judgeScenario(run('refreshExpired', refreshed(), obs({ authJson: auth({ strayFiles: ['auth.json.lock'] }) })), '0.125.0'), 'REFRESH.PERSIST.003')).toBe('fail');
    expect(verdict(judgeScenario(run('refreshExpired', refreshed(), obs({ authJson: auth({ after: { ...auth().after, torn: true } }) })), '0.125.0'), 'REFRESH.PERSIST.003')).toBe('fail');
  });

  it('REFRESH.TOKEN.001 excuses another auth manager that still held the old token: refused 401, the same path again with the new token, no second redemption; at most one per other manager', () => {
    const settings = 'https://chatgpt.com/backend-api/wham/settings/user';
    const suggested = 'https://chatgpt.com/backend-api/ps/plugins/suggested/codex?scope=GLOBAL';
    // The CI pattern on 0.171.0 (refreshRevoked): #12-like old-token 401 after the first new-token request, retried later with the new token.
    const adopted = [...refreshed(), req('GET', suggested, OLD, 401), req('GET', suggested, NEW, 200)];
    const rs = judgeScenario(run('refreshRevoked', adopted, obs({ authJson: auth() })), '0.171.0');
    expect(verdict(rs, 'REFRESH.TOKEN.001')).toBe('pass');
    expect(rs.find((r) => r.ruleId === 'REFRESH.TOKEN.001')?.message).toMatch(/except #\d+ GET .*suggested.*another of the exec's 4 auth managers/);
    // No retry with the new token: a failure.
    expect(verdict(judgeScenario(run('refreshRevoked', [...refreshed(), req('GET', suggested, OLD, 401)], obs({ authJson: auth() })), '0.171.0'), 'REFRESH.TOKEN.001')).toBe('fail');
    // The old token answered 200 (not refused): a failure.
    expect(verdict(judgeScenario(run('refreshRevoked', [...refreshed(), req('GET', suggested, OLD, 200), req('GET', suggested, NEW, 200)], obs({ authJson: auth() })), '0.171.0'), 'REFRESH.TOKEN.001')).toBe('fail');
    // A redemption between the 401 and the retry is not an adoption: a failure.
    expect(verdict(judgeScenario(run('refreshRevoked', [...refreshed(), req('GET', suggested, OLD, 401), req('POST', 'https://auth.openai.com/oauth/token', undefined, 200), req('GET', suggested, NEW, 200)], obs({ authJson: auth() })), '0.171.0'), 'REFRESH.TOKEN.001')).toBe('fail');
    // 0.125 builds 2 managers per exec: one stale request excused, a second one is not.
    const twoStale = [...refreshed(), req('GET', suggested, OLD, 401), req('GET', settings, OLD, 401), req('GET', suggested, NEW, 200), req('GET', settings, NEW, 200)];
    expect(verdict(judgeScenario(run('refreshRevoked', twoStale, obs({ authJson: auth() })), '0.125.0'), 'REFRESH.TOKEN.001')).toBe('fail');
    expect(verdict(judgeScenario(run('refreshRevoked', twoStale, obs({ authJson: auth() })), '0.171.0'), 'REFRESH.TOKEN.001')).toBe('pass');
  });

  it('REFRESH.401.003 passes for one refresh after the 401 and a served retry, fails for two refreshes', () => {
    const one = [req('GET', 'https://chatgpt.com/backend-api/wham/accounts/check', OLD, 401), ...refreshed()];
    expect(verdict(judgeScenario(run('refreshRevoked', one, obs({ authJson: auth() })), '0.171.0'), 'REFRESH.401.003')).toBe('pass');
    const two = [...one, req('POST', 'https://auth.openai.com/oauth/token', undefined, 200)];
    expect(verdict(judgeScenario(run('refreshRevoked', two, obs({ authJson: auth() })), '0.171.0'), 'REFRESH.401.003')).toBe('fail');
  });

  it('REFRESH.ERROR.002 fails for identical token requests after a permanent 401; REFRESH.ERROR.003 judges 400 invalid_grant on 0.171, where 0.125 (transient) gets no verdict', () => {
    const body = { bodyDigest: 'sha256:aaaa' };
    // Up to one identical request per auth manager is the design (4 per exec in 0.171); a fifth is a retry.
    const five = [1, 2, 3, 4, 5].map(() => req('POST', 'https://auth.openai.com/oauth/token', undefined, 401, body));
    const four = five.slice(0, 4);
    expect(verdict(judgeScenario(run('refreshFailExpired', four, obs(), 'because your refresh token has expired', false), '0.171.0'), 'REFRESH.ERROR.002')).toBe('pass');
    expect(verdict(judgeScenario(run('refreshFailExpired', four.slice(0, 3), obs(), 'because your refresh token has expired', false), '0.125.0'), 'REFRESH.ERROR.002')).toBe('fail');
    const rs = judgeScenario(run('refreshFailExpired', five, obs(), 'exit 1: because your refresh token has expired.', false), '0.171.0');
    expect(verdict(rs, 'REFRESH.ERROR.002')).toBe('fail');
    expect(verdict(rs, 'REFRESH.ERROR.001')).toBe('pass');
    const once = judgeScenario(run('refreshFailExpired', four.slice(0, 1), obs(), 'because your refresh token was revoked', false), '0.171.0');
    expect(verdict(once, 'REFRESH.ERROR.002')).toBe('pass');
    expect(verdict(once, 'REFRESH.ERROR.001')).toBe('fail');
    const grant = [1, 2, 3, 4, 5].map(() => req('POST', 'https://auth.openai.com/oauth/token', undefined, 400, body));
    // 0.125-0.156 treat a 400 invalid_grant as transient: within one request per manager no verdict, a retry storm a finding
    // (0.125 is judged under pr18811, whose catalogue has no REFRESH.ERROR.003).
    const old = judgeScenario(run('refreshFailInvalidGrant', grant.slice(0, 2), obs(), 'exit 1', false), '0.125.0');
    expect(old.filter((r) => r.ruleId.startsWith('REFRESH.ERROR'))).toEqual([]);
    expect(judgeScenario(run('refreshFailInvalidGrant', grant, obs(), 'exit 1', false), '0.125.0').filter((r) => r.ruleId.startsWith('REFRESH.ERROR'))).toEqual([]);
    const storm = judgeScenario(run('refreshFailInvalidGrant', grant, obs(), 'exit 1', false), '0.138.0').filter((r) => r.ruleId.startsWith('REFRESH.ERROR'));
    expect(storm).toEqual([expect.objectContaining({ ruleId: 'REFRESH.ERROR.003', verdict: 'unsupported', message: expect.stringMatching(/^finding on 0\.138\.0, not a failure .*400 invalid_grant is a transient refresh failure before 0\.171\.0.*5 identical token requests/) })]);
    const current = judgeScenario(run('refreshFailInvalidGrant', grant, obs(), 'exit 1', false), '0.171.0');
    expect(verdict(current, 'REFRESH.ERROR.003')).toBe('fail');
    expect(verdict(current, 'REFRESH.ERROR.002')).toBeUndefined();
    expect(verdict(judgeScenario(run('refreshFailInvalidGrant', grant.slice(0, 1), obs(), 'exit 1', false), '0.171.0'), 'REFRESH.ERROR.003')).toBe('pass');
  });

  it('REFRESH.ERROR.001/.003 on a 400 refresh_token_reused: judged from 0.136 (known codes permanent, PR #24830), a finding before it when the binary retried (corpus A3)', () => {
    const body = { bodyDigest: 'sha256:bbbb' };
    const storm = Array.from({ length: 100 }, () => req('POST', 'https://auth.openai.com/oauth/token', undefined, 400, body));
    const generic = 'exit 1: ERROR: Failed to refresh token: 400 Bad Request: Injected fault: refresh_token_reused.';
    const old = judgeScenario(run('refreshFailReused400', storm, obs(), generic, false), '0.129.0').filter((r) => r.ruleId.startsWith('REFRESH.ERROR'));
    expect(old.map((r) => [r.ruleId, r.verdict])).toEqual([['REFRESH.ERROR.001', 'unsupported'], ['REFRESH.ERROR.003', 'unsupported']]);
    for (const r of old) expect(r.message).toMatch(/^finding on 0\.129\.0, not a failure .*only a 401 is classified.*PR #24830/);
    expect(old[1]!.message).toContain('100 identical token requests');
    // Within one request per manager the old release makes no statement: no verdict at all.
    expect(judgeScenario(run('refreshFailReused400', storm.slice(0, 2), obs(), 'exit 1: because your refresh token was already used', false), '0.129.0').filter((r) => r.ruleId === 'REFRESH.ERROR.003')).toEqual([]);
    // The boundary seen on the binaries: 0.135.0 retried (a finding), 0.136.0 classifies the code (judged).
    expect(verdict(judgeScenario(run('refreshFailReused400', storm, obs(), generic, false), '0.135.0'), 'REFRESH.ERROR.003')).toBe('unsupported');
    expect(verdict(judgeScenario(run('refreshFailReused400', storm, obs(), generic, false), '0.136.0'), 'REFRESH.ERROR.003')).toBe('fail');
    // 0.138 classifies the code at any status: the same storm fails, two requests with the right message pass.
    const fixed = judgeScenario(run('refreshFailReused400', storm, obs(), generic, false), '0.138.0');
    expect(verdict(fixed, 'REFRESH.ERROR.003')).toBe('fail');
    expect(verdict(fixed, 'REFRESH.ERROR.001')).toBe('fail');
    const ok = judgeScenario(run('refreshFailReused400', storm.slice(0, 2), obs(), 'exit 1: because your refresh token was already used.', false), '0.138.0');
    expect([verdict(ok, 'REFRESH.ERROR.001'), verdict(ok, 'REFRESH.ERROR.003')]).toEqual(['pass', 'pass']);
  });

  it('REFRESH.ERROR.002 before the permanent-failure cache (0.117.0, PR #15530): a retry is a finding, from 0.117 a failure (corpus A2)', () => {
    const body = { bodyDigest: 'sha256:cccc' };
    const polls = [1, 2, 3, 4, 5].map(() => req('POST', 'https://auth.openai.com/oauth/token', undefined, 401, body));
    const said = 'app-server: because your refresh token has expired';
    const old = judgeScenario(run('appServerAuthPoll', polls, obs(), said, false), '0.111.0').find((r) => r.ruleId === 'REFRESH.ERROR.002');
    expect(old).toMatchObject({ verdict: 'unsupported', message: expect.stringMatching(/^finding on 0\.111\.0, not a failure .*no permanent-failure cache.*PR #15530 \(0\.117\.0;.*5 identical token requests/) });
    expect(verdict(judgeScenario(run('appServerAuthPoll', polls, obs(), said, false), '0.117.0'), 'REFRESH.ERROR.002')).toBe('fail');
    expect(verdict(judgeScenario(run('appServerAuthPoll', polls.slice(0, 2), obs(), said, false), '0.117.0'), 'REFRESH.ERROR.002')).toBe('pass');
    expect(verdict(judgeScenario(run('appServerAuthPoll', polls.slice(0, 2), obs(), said, false), '0.111.0'), 'REFRESH.ERROR.002')).toBe('pass');
    // The app-server answers over JSON-RPC: no REFRESH.ERROR.001 from its stderr, whatever it says.
    expect(verdict(judgeScenario(run('appServerAuthPoll', polls.slice(0, 2), obs(), 'app-server stopped after initialize (stderr: 401 The access token has expired.)', false), '0.171.0'), 'REFRESH.ERROR.001')).toBeUndefined();
  });
});

describe('judgeScenario: tenant base, staging, cache, host refresh', () => {
  it('URL.BASE.003 allows only the constant-host calls on chatgpt.com; HDR.APPS.003 wants no credentials on the untrusted tenant origin', () => {
    const ok = [
      req('GET', 'https://chatgpt.com/backend-api/codex/models?client_version=1', 'tok', 200),
      req('GET', 'https://codex.tenant-mock.test/backend-api/wham/accounts/check', 'tok', 200),
      req('POST', 'https://codex.tenant-mock.test/backend-api/ps/mcp', undefined, 401),
    ];
    const rs = judgeScenario(run('customBase', ok, obs()), '0.171.0');
    expect(verdict(rs, 'URL.BASE.003')).toBe('pass');
    expect(verdict(rs, 'HDR.APPS.003')).toBe('pass');
    expect(verdict(rs, 'URL.BASE.001')).toBe('pass');
    const bad = [...ok, req('GET', 'https://chatgpt.com/backend-api/wham/settings/user', 'tok', 200), req('POST', 'https://codex.tenant-mock.test/backend-api/ps/mcp', 'tok', 200)];
    const rb = judgeScenario(run('customBase', bad, obs()), '0.171.0');
    expect(verdict(rb, 'URL.BASE.003')).toBe('fail');
    expect(verdict(rb, 'HDR.APPS.003')).toBe('fail');
    expect(verdict(rb, 'URL.BASE.001')).toBe('fail');
  });

  it('URL.AGENT.003 wants the staging authapi for the staging base', () => {
    const x = { ...run('agentStaging', [], obs()), expectation: { caseId: 'agentStaging', mode: 'agentIdentity' as const, agentRuntimeId: 'rt-1', isFedramp: false, forgedJwt: false } };
    const good = judgeScenario({ ...x, entries: [req('POST', 'https://auth.api.openai.org/api/accounts/v1/agent/rt-1/task/register', undefined, 200)] }, '0.171.0');
    expect(verdict(good, 'URL.AGENT.003')).toBe('pass');
    const bad = judgeScenario({ ...x, entries: [req('POST', 'https://auth.openai.com/api/accounts/v1/agent/rt-1/task/register', undefined, 200)] }, '0.171.0');
    expect(verdict(bad, 'URL.AGENT.003')).toBe('fail');
    // 0.129-0.141 register at production whatever the base: no statement of URL.AGENT.003 to judge, no failure.
    expect(verdict(judgeScenario({ ...x, entries: [req('POST', 'https://auth.openai.com/api/accounts/v1/agent/rt-1/task/register', undefined, 200)] }, '0.129.0'), 'URL.AGENT.003')).toBeUndefined();
  });

  it('CACHE.KEY.002 / CACHE.SWITCH.002 from the cache files: one file per account passes, a file serving A to B fails', () => {
    const turn = (acct: string, tools: string[], files: Array<{ path: string; toolsOf: Record<string, string[]> }>, seqs: number[]) => ({ accountId: acct, appsTools: tools, modelRequestSeqs: [], journalSeqs: seqs, completed: true, cacheFiles: files });
    const a = { path: 'cache/codex_apps_tools/a.json', toolsOf: { A: ['ta'], B: [] } };
    const b = { path: 'cache/codex_apps_tools/b.json', toolsOf: { A: [], B: ['tb'] } };
    const listB = req('POST', 'https://chatgpt.com/backend-api/ps/mcp', 'b-token', 200);
    const good = judgeScenario(run('appsCacheSwitch', [listB], obs({ turns: [turn('A', ['ta'], [a], []), turn('B', ['tb'], [a, b], [listB.seq])] })), '0.171.0');
    expect(verdict(good, 'CACHE.KEY.002')).toBe('pass');
    expect(verdict(good, 'CACHE.SWITCH.002')).toBe('pass');
    const mixed = { path: 'cache/codex_apps_tools/a.json', toolsOf: { A: ['ta'], B: ['tb'] } };
    const bad = judgeScenario(run('appsCacheSwitch', [], obs({ turns: [turn('A', ['ta'], [a], []), turn('B', ['tb'], [mixed], [])] })), '0.171.0');
    expect(verdict(bad, 'CACHE.KEY.002')).toBe('fail');
    expect(verdict(bad, 'CACHE.SWITCH.002')).toBe('fail');
    // the in-process switch (app-server) is CACHE.SWITCH.001; B's turn must fetch B's tools
    const live = judgeScenario(run('appsCacheSwitchLive', [listB], obs({ turns: [turn('A', ['ta'], [], []), turn('B', ['tb'], [], [listB.seq])] })), '0.171.0');
    expect(verdict(live, 'CACHE.SWITCH.001')).toBe('pass');
    const silent = judgeScenario(run('appsCacheSwitchLive', [listB], obs({ turns: [turn('A', ['ta'], [], [listB.seq]), turn('B', ['tb'], [], [])] })), '0.171.0');
    expect(verdict(silent, 'CACHE.SWITCH.001')).toBe('fail');
  });

  it('HDR.BEARER.001 per turn: a turn with no Bearer request gets no verdict (never a pass); its own token passes, another fails', () => {
    const turn = (acct: string, bearer: string, seqs: number[]) => ({ accountId: acct, bearer, appsTools: [], modelRequestSeqs: [], journalSeqs: seqs, completed: true, cacheFiles: [] });
    const ra = req('POST', 'https://chatgpt.com/backend-api/codex/responses', 'a-token', 200);
    const rb = req('POST', 'https://chatgpt.com/backend-api/codex/responses', 'a-token', 200, { seq: ra.seq + 1 });
    const bearer = (rs: readonly RuleResult[]) => rs.filter((r) => r.ruleId === 'HDR.BEARER.001').map((r) => r.verdict);
    expect(bearer(judgeScenario(run('appsCacheSwitchLive', [], obs({ turns: [turn('A', 'a-token', []), turn('B', 'b-token', [])] })), '0.171.0'))).toEqual([]);
    expect(bearer(judgeScenario(run('appsCacheSwitchLive', [ra], obs({ turns: [turn('A', 'a-token', [ra.seq]), turn('B', 'b-token', [])] })), '0.171.0'))).toEqual(['pass']);
    expect(bearer(judgeScenario(run('appsCacheSwitchLive', [ra, rb], obs({ turns: [turn('A', 'a-token', [ra.seq]), turn('B', 'b-token', [rb.seq])] })), '0.171.0'))).toEqual(['pass', 'fail']);
  });

  it('CACHE.KEY.001: the file with an account\'s tools is named sha1 of {account_id, chatgpt_user_id, is_workspace_account}', () => {
    const key = JSON.stringify({ account_id: 'A', chatgpt_user_id: 'user-1', is_workspace_account: false });
    const sha = createHash('sha1').update(key).digest('hex');
    const turnWith = (path: string) => ({ accountId: 'A', appsCacheKey: key, appsTools: ['ta'], modelRequestSeqs: [], journalSeqs: [], completed: true, cacheFiles: [{ path, toolsOf: { A: ['ta'] } }] });
    expect(verdict(judgeScenario(run('chatgpt', [], obs({ turns: [turnWith(`cache/codex_apps_tools/${sha}.json`)] })), '0.171.0'), 'CACHE.KEY.001')).toBe('pass');
    const keyedByAccountOnly = createHash('sha1').update(JSON.stringify({ account_id: 'A', chatgpt_user_id: null, is_workspace_account: false })).digest('hex');
    expect(verdict(judgeScenario(run('chatgpt', [], obs({ turns: [turnWith(`cache/codex_apps_tools/${keyedByAccountOnly}.json`)] })), '0.171.0'), 'CACHE.KEY.001')).toBe('fail');
  });

  it('REFRESH.EXTERNAL.001 with host tokens: the host asked after a 401 passes; a token-endpoint call fails', () => {
    const e401 = [req('GET', 'https://chatgpt.com/backend-api/wham/accounts/check', 'host', 401)];
    expect(verdict(judgeScenario(run('hostTokensRefresh', e401, obs({ hostRefreshRequests: 1 })), '0.171.0'), 'REFRESH.EXTERNAL.001')).toBe('pass');
    expect(verdict(judgeScenario(run('hostTokensRefresh', e401, obs({ hostRefreshRequests: 0 })), '0.171.0'), 'REFRESH.EXTERNAL.001')).toBe('fail');
    const token = [...e401, req('POST', 'https://auth.openai.com/oauth/token', undefined, 200)];
    expect(verdict(judgeScenario(run('hostTokensRefresh', token, obs({ hostRefreshRequests: 1 })), '0.171.0'), 'REFRESH.EXTERNAL.001')).toBe('fail');
  });
});

describe('judgeScenario: usage polling of the interactive TUI', () => {
  const TOKEN = 'tui.access.token';
  const tuiRun = (caseId: string, entries: ObservedRequest[]): RecordedRun => run(caseId, entries, obs(), 'TUI ran until stopped (17100 ms, 4 terminal queries answered)');
  const usage = (): ObservedRequest => req('GET', 'https://chatgpt.com/backend-api/wham/usage', TOKEN, 200);
  const models = (): ObservedRequest => req('GET', 'https://chatgpt.com/backend-api/codex/models?client_version=0.99.0', TOKEN, 200);
  const plugins = (): ObservedRequest => req('GET', 'https://chatgpt.com/backend-api/ps/plugins/installed?limit=200', TOKEN, 200);

  it('GATE.USAGE.001 fails the usage poll 0.98.0 sent with the login while a custom provider was active (recorded, corpus B3)', () => {
    const rs = judgeScenario(tuiRun('tuiUsageCustomProvider', [usage(), models(), req('GET', 'https://chatgpt.com/backend-api/codex/models?client_version=0.98.0', TOKEN, 304)]), '0.171.0');
    expect(verdict(rs, 'GATE.USAGE.001')).toBe('fail');
    expect(rs.find((r) => r.ruleId === 'GATE.USAGE.001')?.message).toMatch(/wham\/usage/);
    // The TUI is judged as a usage call: whether the provider got the login is another case's question.
    expect(verdict(rs, 'HDR.PROVIDER.001')).toBeUndefined();
  });

  it('GATE.USAGE.001 passes the same case when the TUI reads no usage (0.99.0 and 0.171.0, recorded)', () => {
    expect(verdict(judgeScenario(tuiRun('tuiUsageCustomProvider', [models()]), '0.171.0'), 'GATE.USAGE.001')).toBe('pass');
    expect(verdict(judgeScenario(tuiRun('tuiUsageCustomProvider', [plugins(), req('GET', 'https://codex.tenant-mock.test/v1/models?client_version=0.171.0', undefined, 401)]), '0.171.0'), 'GATE.USAGE.001')).toBe('pass');
  });

  it('GATE.USAGE.001 wants the usage read on the OpenAI provider, and fails a TUI that made requests but read none', () => {
    expect(verdict(judgeScenario(tuiRun('tuiUsageOpenai', [models(), req('GET', 'https://chatgpt.com/backend-api/wham/accounts/check', TOKEN, 200), usage()]), '0.171.0'), 'GATE.USAGE.001')).toBe('pass');
    expect(verdict(judgeScenario(tuiRun('tuiUsageOpenai', [models(), plugins()]), '0.171.0'), 'GATE.USAGE.001')).toBe('fail');
  });

  it('GATE.USAGE.001 gives no verdict when the TUI sent nothing (it never got past start-up)', () => {
    for (const id of ['tuiUsageOpenai', 'tuiUsageCustomProvider']) {
      const rs = judgeScenario(tuiRun(id, []), '0.171.0');
      expect(verdict(rs, 'GATE.USAGE.001'), id).toBe('skip');
    }
  });

  it('GATE.USAGE.001 is judged only for TUI cases: exec and app-server cases never poll', () => {
    expect(verdict(judgeScenario(run('chatgpt', [models()], obs()), '0.171.0'), 'GATE.USAGE.001')).toBeUndefined();
    expect(verdict(judgeScenario(run('customProvider', [models()], obs()), '0.171.0'), 'GATE.USAGE.001')).toBeUndefined();
  });
});

describe('judgeScenario: rule ids', () => {
  it('never emits a withdrawn rule or a rule outside the profile of the release under test', () => {
    const entries = [
      req('GET', 'https://chatgpt.com/backend-api/wham/accounts/check', OLD, 401),
      req('POST', 'https://auth.openai.com/oauth/token', undefined, 200, { bodyDigest: 'sha256:b' }),
      req('POST', 'https://auth.openai.com/oauth/token', undefined, 400, { bodyDigest: 'sha256:b' }),
      req('GET', 'https://chatgpt.com/backend-api/wham/settings/user', NEW, 200),
      req('POST', 'https://codex.tenant-mock.test/backend-api/ps/mcp', NEW, 200),
      req('POST', 'https://chatgpt-staging.com/backend-api/ps/mcp', NEW, 200),
      req('POST', 'https://auth.api.openai.org/api/accounts/v1/agent/rt-1/task/register', undefined, 200),
    ];
    let judged = 0;
    for (const version of ['0.125.0', '0.129.0', '0.145.0', '0.171.0']) {
      const profile = matrixProfileFor(version);
      for (const id of codexCliCaseIds()) {
        for (const r of judgeScenario(run(id, entries, obs({ authJson: auth(), hostRefreshRequests: 1 }), 'exit 1: because your refresh token has expired.'), version)) {
          judged += 1;
          expect(ruleById(r.ruleId)?.withdrawn, `${r.ruleId} @ ${version}`).toBeUndefined();
          expect(inProfile(profile, r.ruleId), `${r.ruleId} @ ${version} (${profile})`).toBe(true);
        }
      }
    }
    expect(judged).toBeGreaterThan(20);
  });
});
