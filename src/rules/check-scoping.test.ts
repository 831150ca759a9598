import { describe, expect, it } from 'vitest';
import { checkScoping, type ScopingCase } from './check-scoping.js';
import type { ObservedRequest } from './observed-request.js';
import { observed } from './test-fixtures.js';

const ACCT = 'b1b2c3d4-0000-4000-8000-000000000001';
const PROVIDER = 'http://127.0.0.1:9/custom/v1';
const login = { kind: 'bearer' as const, fingerprint: 'fp:000000000001', issued: { tokenKind: 'chatgptAccess' as const, accountId: ACCT, expired: false } };
const atProvider = (headers: Record<string, string>, credential: ObservedRequest['credential'] = { kind: 'none' }) => observed({ seq: 1, method: 'POST', url: `${PROVIDER}/responses`, headers, credential });
const verdict = (c: ScopingCase, journal: ObservedRequest[], rule: string) => checkScoping(c, journal).filter((r) => r.ruleId === rule).map((r) => r.verdict);
const chatgpt = { mode: 'chatgpt' as const, accountId: ACCT };

describe('scoping checks (credentials beyond the auth mode)', () => {
  const custom: ScopingCase = { caseId: 'c', auth: chatgpt, call: 'model', modelProvider: { baseUrl: PROVIDER, requiresOpenaiAuth: false, ownAuth: 'none' }, outcome: 'sent' };

  it('HDR.PROVIDER.001 passes a custom provider without OpenAI auth that got no login header', () => {
    expect(verdict(custom, [atProvider({ 'content-type': 'application/json' })], 'HDR.PROVIDER.001')).toEqual(['pass']);
  });

  it('HDR.PROVIDER.001 fails the login\'s Bearer and account header sent to such a provider (before PR #39214), and a request that never reached it', () => {
    expect(verdict(custom, [atProvider({ authorization: 'Bearer at.login', 'chatgpt-account-id': ACCT }, login)], 'HDR.PROVIDER.001')).toEqual(['fail']);
    expect(verdict(custom, [], 'HDR.PROVIDER.001')).toEqual(['fail']);
  });

  it('HDR.PROVIDER.001 accepts the provider\'s own bearer token, not the login\'s', () => {
    const own: ScopingCase = { ...custom, modelProvider: { baseUrl: PROVIDER, requiresOpenaiAuth: false, ownAuth: 'bearerToken' } };
    expect(verdict(own, [atProvider({ authorization: 'Bearer provider-token' }, { kind: 'bearer', fingerprint: 'fp:000000000002' })], 'HDR.PROVIDER.001')).toEqual(['pass']);
    expect(verdict(own, [atProvider({ authorization: 'Bearer at.login' }, login)], 'HDR.PROVIDER.001')).toEqual(['fail']);
  });

  it('GATE.WORKSPACE.001 passes a PAT or Headers map of another workspace refused before any backend request (whoami allowed), and the own workspace accepted', () => {
    const other: ScopingCase = { caseId: 'c', auth: { mode: 'personalAccessToken', accountId: ACCT }, call: 'backend', forcedWorkspaceIds: ['00000000-0000-4000-8000-00000000ffff'], outcome: 'refused' };
    const whoami = observed({ seq: 1, url: 'http://127.0.0.1:9/api/accounts/v1/user-auth-credential/whoami' });
    expect(verdict(other, [whoami], 'GATE.WORKSPACE.001')).toEqual(['pass']);
    const own: ScopingCase = { ...other, auth: { mode: 'headers', accountId: ACCT }, forcedWorkspaceIds: [ACCT], outcome: 'sent' };
    expect(verdict(own, [observed({ seq: 1, url: 'http://127.0.0.1:9/backend-api/wham/tasks/list' })], 'GATE.WORKSPACE.001')).toEqual(['pass']);
  });

  it('GATE.WORKSPACE.001 fails credentials of another workspace that reached the backend (the restriction checked for managed tokens only), and a refusal of the forced workspace itself', () => {
    const other: ScopingCase = { caseId: 'c', auth: { mode: 'headers', accountId: ACCT }, call: 'backend', forcedWorkspaceIds: ['00000000-0000-4000-8000-00000000ffff'], outcome: 'sent' };
    expect(verdict(other, [observed({ seq: 1, url: 'http://127.0.0.1:9/backend-api/wham/tasks/list' })], 'GATE.WORKSPACE.001')).toEqual(['fail']);
    const none: ScopingCase = { ...other, auth: { mode: 'headers' } };
    expect(verdict(none, [observed({ seq: 1, url: 'http://127.0.0.1:9/backend-api/codex/responses' })], 'GATE.WORKSPACE.001')).toEqual(['fail']);
    expect(verdict({ ...other, forcedWorkspaceIds: [ACCT], outcome: 'refused' }, [], 'GATE.WORKSPACE.001')).toEqual(['fail']);
    expect(verdict({ ...other, auth: { mode: 'apiKey' } }, [], 'GATE.WORKSPACE.001')).toEqual([]);
  });

  it('GATE.USAGE.001 fails a usage poll while a custom provider that does not require OpenAI auth is active, and passes its absence', () => {
    const usage: ScopingCase = { ...custom, call: 'usage', outcome: 'refused' };
    const poll = observed({ seq: 1, url: 'https://chatgpt.com/backend-api/wham/usage', headers: { authorization: 'Bearer at.login' }, credential: login });
    expect(verdict(usage, [], 'GATE.USAGE.001')).toEqual(['pass']);
    expect(verdict({ ...usage, outcome: 'sent' }, [poll], 'GATE.USAGE.001')).toEqual(['fail']);
    const openai: ScopingCase = { caseId: 'c', auth: chatgpt, call: 'usage', outcome: 'sent' };
    expect(verdict(openai, [poll], 'GATE.USAGE.001')).toEqual(['pass']);
    expect(verdict({ ...openai, outcome: 'refused' }, [], 'GATE.USAGE.001')).toEqual(['fail']);
  });

  it('URL.ENVBASE.001 passes model traffic under OPENAI_BASE_URL or a refusal, and fails the variable silently ignored', () => {
    const env: ScopingCase = { caseId: 'c', auth: { mode: 'apiKey' }, call: 'model', envOpenaiBaseUrl: PROVIDER, outcome: 'sent' };
    expect(verdict(env, [atProvider({ authorization: 'Bearer sk-x' })], 'URL.ENVBASE.001')).toEqual(['pass']);
    expect(verdict({ ...env, outcome: 'errored' }, [], 'URL.ENVBASE.001')).toEqual(['pass']);
    expect(verdict(env, [observed({ seq: 1, method: 'POST', url: 'https://api.openai.com/v1/responses' })], 'URL.ENVBASE.001')).toEqual(['fail']);
    expect(verdict(env, [], 'URL.ENVBASE.001')).toEqual(['fail']);
  });
});
