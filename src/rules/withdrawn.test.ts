import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodexAuth } from '../auth/codex-auth.js';
import { ALL_SUITES } from '../harness/suites/index.js';
import { codexCliExercisedRules, codexCliRules, CODEX_CLI_SUITE_RULES, NOT_EXERCISED } from '../harness/judges/codex-cli/judge-cases.js';
import { RULES, ruleById } from './catalogue.js';
import { checkIdentityRefused, checkRegistrationBody } from './check-agent-session.js';
import { checkAppsCacheKey, checkAppsCacheKeysDistinct, checkToolsAfterSwitch } from './check-cache.js';
import { checkJournal } from './check-journal.js';
import {
  checkAuthJsonFile,
  checkAuthJsonPersisted,
  checkNoRecoveryWithout401,
  checkNoTokenRefresh,
  checkPermanentFailureNotRetried,
  checkProactiveRefresh,
  checkRefreshErrorClass,
  checkUnauthorizedRecovery,
} from './check-refresh.js';
import { checkObserved } from './check.js';
import { CONTRACT_CALLSITES } from './contract/callsites.js';
import { modeFacts, PROFILE_MODES } from './contract/modes.js';
import { expectRequest } from './expectations.js';
import type { CredentialAttribution, ObservedRequest } from './observed-request.js';
import { PROFILE_IDS, type ProfileId } from './profiles.js';
import type { RuleResult } from './result.js';
import { AUTHS, agentAuth, agentKeys, assertionToken, observed } from './test-fixtures.js';

/**
 * Withdrawn ids stay in the catalogue (an id is never reused) with the reason and the rules that
 * state the contract instead, belong to no profile, and are never judged: no checker emits one,
 * no suite lists one, the codex-cli judge reports none.
 */
const WITHDRAWN = RULES.filter((r) => r.withdrawn !== undefined);

function expectWithdrawn(id: string, replacedBy: readonly string[]): void {
  const rule = ruleById(id);
  expect(rule, `${id} must stay in the catalogue`).toBeDefined();
  expect(rule!.profiles).toEqual([]);
  expect(rule!.withdrawn?.reason.length ?? 0).toBeGreaterThan(40);
  expect([...(rule!.withdrawn?.replacedBy ?? [])].sort()).toEqual([...replacedBy].sort());
  for (const r of replacedBy) {
    const replacement = ruleById(r);
    expect(replacement, `${id} is replaced by ${r}, which is not catalogued`).toBeDefined();
    expect(replacement!.withdrawn, `${id} is replaced by ${r}, which is withdrawn too`).toBeUndefined();
    expect(replacement!.profiles.length).toBeGreaterThan(0);
  }
  for (const suite of ALL_SUITES) expect(suite.rules, `suite ${suite.id} lists withdrawn ${id}`).not.toContain(id);
}

describe('withdrawn rules', () => {
  it('AGENT.TASK.001 is withdrawn (the source registers per load, never once per process), replaced by AGENT.TASK.004 and AGENT.TASK.005', () => {
    expectWithdrawn('AGENT.TASK.001', ['AGENT.TASK.004', 'AGENT.TASK.005']);
  });

  it('URL.BASE.002 is withdrawn (model traffic and the curated export go to constant hosts by design), replaced by URL.BASE.003', () => {
    expectWithdrawn('URL.BASE.002', ['URL.BASE.003']);
  });

  it('URL.AGENT.001 is withdrawn (no release derived the authapi that way), replaced by URL.AGENT.003 and URL.AGENT.005', () => {
    expectWithdrawn('URL.AGENT.001', ['URL.AGENT.003', 'URL.AGENT.005']);
  });

  it('REFRESH.401.001 is withdrawn (a 401 first reloads auth.json, a refresh only follows a second 401), replaced by REFRESH.401.003', () => {
    expectWithdrawn('REFRESH.401.001', ['REFRESH.401.003']);
  });

  it('REFRESH.PERSIST.002 is withdrawn (auth.json is truncated and rewritten in place, no rename), replaced by REFRESH.PERSIST.003', () => {
    expectWithdrawn('REFRESH.PERSIST.002', ['REFRESH.PERSIST.003']);
  });

  it('exactly these five ids are withdrawn', () => {
    expect(WITHDRAWN.map((r) => r.id).sort()).toEqual(['AGENT.TASK.001', 'REFRESH.401.001', 'REFRESH.PERSIST.002', 'URL.AGENT.001', 'URL.BASE.002']);
  });

  it('no withdrawn id is judged by the codex-cli suite under any profile', () => {
    const withdrawn = new Set(WITHDRAWN.map((r) => r.id));
    for (const profile of PROFILE_IDS) {
      for (const id of [...codexCliRules(profile), ...codexCliExercisedRules(profile)]) expect(withdrawn.has(id), `${profile}: ${id}`).toBe(false);
    }
    for (const id of [...CODEX_CLI_SUITE_RULES, ...Object.keys(NOT_EXERCISED)]) expect(withdrawn.has(id), id).toBe(false);
  });
});

// ---- every checker over generated traffic: only ids of the judged profile, never a withdrawn one ----

const keys = agentKeys();
const agent = agentAuth(keys, { accountId: 'acct-a', isFedramp: true });
const validAssertion = assertionToken(keys, { agentRuntimeId: 'rt-1', taskId: 'task-1', timestamp: '2025-03-04T05:06:07Z' });
const B = 'http://127.0.0.1:4010/backend-api';

const URLS = [
  `${B}/wham/tasks/list`, `${B}/wham/usage`, `${B}/api/codex/tasks/list`, `${B}//wham/tasks/list`, `${B}/ps/mcp`, `${B}/wham/apps`,
  `${B}/wham/agent-identities/jwks`, `${B}/v1/agent/rt-1/task/register`, 'http://127.0.0.1:4010/api/accounts/v1/agent/rt-1/task/register',
  'http://127.0.0.1:4010/oauth/token', 'https://auth.openai.com/oauth/token', 'http://127.0.0.1:4010/api/accounts/v1/user-auth-credential/whoami',
  'https://chatgpt.com/backend-api/codex/models', 'https://chatgpt.com/backend-api/codex/responses', 'https://chatgpt.com/backend-api/ps/mcp',
  'https://chatgpt.com/backend-api/plugins/export/curated', `${B}/plugins/featured`, 'https://api.openai.com/v1/responses', 'http://127.0.0.1:4010/v1/models',
  'https://chatgpt.com/backend-api/wham/accounts/check', 'not a url',
];

const credential: fc.Arbitrary<CredentialAttribution> = fc.oneof(
  fc.constant<CredentialAttribution>({ kind: 'none' }),
  fc.record({
    kind: fc.constant('bearer' as const),
    fingerprint: fc.constantFrom('fp:000000000001', 'fp:000000000002'),
    issued: fc.record({
      tokenKind: fc.constantFrom('chatgptAccess', 'apiKey', 'hostAccess', 'connectorsToken', 'personalAccessToken'),
      accountId: fc.constantFrom('acct-1', 'acct-a'),
      isFedramp: fc.boolean(),
      expired: fc.boolean(),
    }),
  }),
  fc.record({
    kind: fc.constant('agentAssertion' as const),
    agentRuntimeId: fc.constantFrom('rt-1', 'rt-2'),
    taskId: fc.constant('task-1'),
    accountId: fc.constant('acct-a'),
    isFedramp: fc.boolean(),
    signatureValid: fc.boolean(),
    taskIssuedToRuntime: fc.boolean(),
  }),
);

const headers = fc.record(
  {
    authorization: fc.constantFrom('Bearer tok', 'Bearer sk-live', 'Bearer access-token-1', `AgentAssertion ${validAssertion}`, `AgentAssertion ${validAssertion}==`, 'AgentAssertion fp:0123456789ab', 'Basic dXNlcg=='),
    'chatgpt-account-id': fc.constantFrom('acct-1', 'acct-a', '', 'undefined'),
    'x-openai-fedramp': fc.constantFrom('true', 'false'),
    'x-api-key': fc.constant('k'),
    agentassertion: fc.constant('x'),
    'content-type': fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'),
  },
  { requiredKeys: [] },
);

const entry = fc.record({
  url: fc.constantFrom(...URLS),
  method: fc.constantFrom('GET', 'POST'),
  headers,
  credential,
  status: fc.constantFrom(200, 400, 401, 403, 429, 500, 503),
  reason: fc.constantFrom(undefined, 'invalid_grant', 'refresh_token_expired', 'refresh_token_reused', 'invalid_request'),
  caseId: fc.constantFrom(undefined, 'c1', 'c2'),
});

const journal = fc.array(entry, { maxLength: 8 }).map((es): ObservedRequest[] =>
  es.map((e, seq) =>
    observed({
      seq,
      url: e.url,
      method: e.method,
      headers: Object.fromEntries(Object.entries(e.headers).filter(([, v]) => v !== undefined)) as Record<string, string>,
      credential: e.credential,
      verdict: { status: e.status, handled: true, ...(e.reason !== undefined ? { reason: e.reason } : {}) },
      ...(e.caseId !== undefined ? { caseId: e.caseId } : {}),
    }),
  ),
);

const AUTH_BY_MODE: readonly CodexAuth[] = [AUTHS.apiKey, AUTHS.chatgpt, AUTHS.chatgptNoAccount, AUTHS.hostTokens, agent, AUTHS.pat, AUTHS.headers, AUTHS.headersNoAuth, AUTHS.bedrock];
const CONFIGS = [
  { chatgptBaseUrl: `${B}/`, appsEnabled: true },
  { appsEnabled: true },
  { chatgptBaseUrl: `${B}/`, appsEnabled: false, openaiBaseUrl: 'http://127.0.0.1:4010/v1', env: { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:4010/api/accounts', CODEX_AGENT_IDENTITY_JWKS_BASE_URL: `${B}/` } },
  { chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api/', appsEnabled: true },
];

/** Every checker of src/rules on one generated journal, under one profile. */
function everyChecker(profile: ProfileId, entries: readonly ObservedRequest[], pick: number): RuleResult[] {
  const out: RuleResult[] = [];
  out.push(...checkJournal(entries, { profile, chatgptBaseUrl: `${B}/`, callStarts: [-1, Math.floor(entries.length / 2)] }));
  out.push(...checkJournal(entries, { profile }));
  const auths = AUTH_BY_MODE.filter((a) => PROFILE_MODES[profile].includes(a.mode));
  const auth = auths[pick % auths.length]!;
  const cs = CONTRACT_CALLSITES[pick % CONTRACT_CALLSITES.length]!;
  const config = CONFIGS[pick % CONFIGS.length]!;
  const exp = expectRequest({ auth, callsiteId: cs.id, config, profile });
  out.push(...checkObserved(entries, exp, { auth, profile, config, taskIdsIssued: ['task-1'] }));
  // The refresh checks judge mock journals, whose URLs are always absolute (ObservedRequest.url).
  const absolute = entries.filter((e) => URL.canParse(e.url));
  out.push(checkProactiveRefresh(profile, absolute, pick % 2 === 0, 'generated'), checkUnauthorizedRecovery(absolute, 'access-token-1'), checkNoRecoveryWithout401(absolute));
  out.push(...checkPermanentFailureNotRetried(profile, absolute, [400, 401, 500][pick % 3]!, ['invalid_grant', 'refresh_token_expired', 'server_error'][pick % 3]!));
  if (!modeFacts(auth.mode).refreshedByClient) out.push(checkNoTokenRefresh(absolute, auth.mode));
  // AGENT.JWT.001 exists only where identities are JWTs (codex-0.171); callers judge it only there.
  if (profile === 'codex-0.171') out.push(checkIdentityRefused(entries, 'expired'));
  out.push(checkRegistrationBody('POST', { timestamp: 'x', signature: 'y' }, { agentRuntimeId: 'rt-1', publicKey: keys.publicKey }));
  out.push(checkAuthJsonFile({ text: '{}', mode: 0o600, siblings: [] }), checkAuthJsonPersisted({}, { accessToken: 'old' }, absolute, () => true), checkRefreshErrorClass('refresh_token_expired', 'other'));
  out.push(checkAppsCacheKey(auth, {}), ...checkAppsCacheKeysDistinct([{ label: 'a', auth, key: 1 }, { label: 'b', auth: AUTHS.chatgpt, key: 1 }]), checkToolsAfterSwitch({ label: 'a', served: [], toolsByIdentity: { a: ['t'] }, layer: 'disk' }));
  return out;
}

describe('no checker emits a withdrawn id', () => {
  it('every verdict of every checker names a rule of the judged profile, never a withdrawn one (generated traffic, both profiles)', () => {
    const withdrawn = new Set(WITHDRAWN.map((r) => r.id));
    const emitted = new Map<ProfileId, Set<string>>(PROFILE_IDS.map((p) => [p, new Set<string>()]));
    fc.assert(
      fc.property(journal, fc.nat(), (entries, pick) => {
        for (const profile of PROFILE_IDS) {
          for (const r of everyChecker(profile, entries, pick)) {
            const rule = ruleById(r.ruleId);
            if (rule === undefined || withdrawn.has(r.ruleId) || !rule.profiles.includes(profile)) throw new Error(`${profile}: ${r.ruleId} (${r.message})`);
            emitted.get(profile)!.add(r.ruleId);
          }
        }
        return true;
      }),
      { numRuns: 150, seed: 20261130 },
    );
    // The property is not vacuous: the checkers reached most of each profile's rules.
    for (const profile of PROFILE_IDS) expect(emitted.get(profile)!.size, profile).toBeGreaterThan(35);
  });
});
