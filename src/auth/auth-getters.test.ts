import { describe, expect, it } from 'vitest';
import {
  accountId,
  chatgptUserId,
  isChatgptAuth,
  isFedrampAccount,
  isWorkspaceAccount,
  planType,
  usesCodexBackend,
} from './auth-getters.js';
import type { AgentIdentityClaims, CodexAuth } from './codex-auth.js';
import { parseIdToken } from './id-token.js';
import { unsignedJwt } from './unsigned-jwt.js';

const AUTH = 'https://api.openai.com/auth';

const apiKey: CodexAuth = { mode: 'apiKey', apiKey: 'sk-test' };

function chatgpt(plan?: string, fedramp = false): CodexAuth {
  const idToken = parseIdToken(
    unsignedJwt({
      email: 'c@example.com',
      [AUTH]: {
        ...(plan !== undefined && { chatgpt_plan_type: plan }),
        chatgpt_user_id: 'user-c',
        chatgpt_account_id: 'claim-acct',
        chatgpt_account_is_fedramp: fedramp,
      },
    }),
  );
  return {
    mode: 'chatgpt',
    tokens: { idToken, accessToken: 'at', refreshToken: 'rt', accountId: 'acct-c' },
  };
}

const hostTokens: CodexAuth = {
  mode: 'chatgptAuthTokens',
  accessToken: 'host-at',
  accountId: 'acct-h',
  chatgptUserId: 'user-h',
  planType: 'enterprise',
  isFedramp: true,
};

const claims: AgentIdentityClaims = {
  agentRuntimeId: 'rt-1',
  agentPrivateKey: 'AAAA',
  accountId: 'acct-a',
  chatgptUserId: 'user-a',
  email: 'agent@example.com',
  planType: 'team',
  isFedramp: false,
  iat: 1,
  exp: 2,
};
const agent: CodexAuth = { mode: 'agentIdentity', jwt: 'a.b.c', claims };

describe('mode predicates', () => {
  it('usesCodexBackend is true for chatgpt, chatgptAuthTokens and agentIdentity, false for apiKey', () => {
    expect([apiKey, chatgpt(), hostTokens, agent].map(usesCodexBackend)).toEqual([false, true, true, true]);
  });

  it('isChatgptAuth is true only for the two ChatGPT-token modes', () => {
    expect([apiKey, chatgpt(), hostTokens, agent].map(isChatgptAuth)).toEqual([false, true, true, false]);
  });
});

describe('identity getters', () => {
  it('API keys have no account, user, plan, workspace or FedRAMP flag', () => {
    expect(accountId(apiKey)).toBeUndefined();
    expect(chatgptUserId(apiKey)).toBeUndefined();
    expect(planType(apiKey)).toBeUndefined();
    expect(isWorkspaceAccount(apiKey)).toBe(false);
    expect(isFedrampAccount(apiKey)).toBe(false);
  });

  it('chatgpt mode takes the account id from tokens.account_id, not the id_token claim', () => {
    expect(accountId(chatgpt())).toBe('acct-c');
    expect(chatgptUserId(chatgpt())).toBe('user-c');
  });

  it('chatgptAuthTokens mode answers from the host-provided data', () => {
    expect(accountId(hostTokens)).toBe('acct-h');
    expect(chatgptUserId(hostTokens)).toBe('user-h');
    expect(isWorkspaceAccount(hostTokens)).toBe(true);
    expect(isFedrampAccount(hostTokens)).toBe(true);
  });

  it('agentIdentity answers every getter from the verified claims (not empty token data)', () => {
    expect(accountId(agent)).toBe('acct-a');
    expect(chatgptUserId(agent)).toBe('user-a');
    expect(planType(agent)).toBe('team');
    expect(isWorkspaceAccount(agent)).toBe(true);
    expect(isFedrampAccount({ ...agent, claims: { ...claims, isFedramp: true } })).toBe(true);
  });

  it.each([
    ['team', true],
    ['business', true],
    ['enterprise', true],
    ['hc', true],
    ['edu', true],
    ['education', true],
    ['self_serve_business_usage_based', true],
    ['enterprise_cbp_usage_based', true],
    ['free', false],
    ['go', false],
    ['plus', false],
    ['pro', false],
    ['prolite', false],
    ['Team', false],
    ['unknown-plan', false],
  ])('isWorkspaceAccount for plan %s is %s', (plan, expected) => {
    expect(isWorkspaceAccount(chatgpt(plan))).toBe(expected);
    expect(isWorkspaceAccount({ ...agent, claims: { ...claims, planType: plan } })).toBe(expected);
  });

  it('a token without a plan is not a workspace account', () => {
    expect(planType(chatgpt())).toBeUndefined();
    expect(isWorkspaceAccount(chatgpt())).toBe(false);
  });

  it('FedRAMP follows the id_token flag in chatgpt mode', () => {
    expect(isFedrampAccount(chatgpt('pro', true))).toBe(true);
    expect(isFedrampAccount(chatgpt('pro', false))).toBe(false);
  });
});
