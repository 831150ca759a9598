import type { CodexAuth } from '../auth/codex-auth.js';

/** Hand-built auth values for callsite and cache tests (fake secrets, never real ones). */
export function apiKeyAuth(): CodexAuth {
  return { mode: 'apiKey', apiKey: 'sk-test-not-a-real-key' };
}

export function chatgptAuth(opts: { accountId?: string; userId?: string; plan?: string } = {}): CodexAuth {
  return {
    mode: 'chatgpt',
    tokens: {
      idToken: {
        isFedramp: false,
        rawJwt: 'e30.e30.sig',
        chatgptAccountId: opts.accountId ?? 'acct_1',
        chatgptUserId: opts.userId ?? 'user_1',
        planType: opts.plan ?? 'plus',
      },
      accessToken: 'access-test',
      refreshToken: 'refresh-test',
      accountId: opts.accountId ?? 'acct_1',
    },
  };
}

export function hostTokensAuth(plan = 'business'): CodexAuth {
  return { mode: 'chatgptAuthTokens', accessToken: 'host-access', accountId: 'acct_host', chatgptUserId: 'user_host', planType: plan, isFedramp: false };
}

export function agentIdentityAuth(opts: { runtimeId?: string; accountId?: string; userId?: string; plan?: string } = {}): CodexAuth {
  return {
    mode: 'agentIdentity',
    jwt: 'h.p.s',
    claims: {
      agentRuntimeId: opts.runtimeId ?? 'rt_1',
      agentPrivateKey: 'AA==',
      accountId: opts.accountId ?? 'acct_agent',
      chatgptUserId: opts.userId ?? 'user_agent',
      planType: opts.plan ?? 'enterprise',
      isFedramp: false,
      iat: 0,
      exp: 4102444800,
    },
  };
}
