import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConformanceInputError } from '../errors.js';
import type { AgentIdentityClaims } from './codex-auth.js';
import { CLIENT_PROFILES } from './client-profile.js';
import { type LoadAuthOptions, loadAuth, loadAuthWithSource } from './load-auth.js';
import { unsignedJwt } from './unsigned-jwt.js';
import { tempDir } from '../testing/temp-dirs.js';

const AUTH = 'https://api.openai.com/auth';
const idJwt = unsignedJwt({ email: 'u@example.com', [AUTH]: { chatgpt_plan_type: 'team', chatgpt_user_id: 'user-1' } });

function claimsFor(jwt: string): AgentIdentityClaims {
  return {
    agentRuntimeId: `rt-for-${jwt}`,
    agentPrivateKey: 'AAAA',
    accountId: 'acct-agent',
    isFedramp: false,
    iat: 0,
    exp: 1,
  };
}

let home: string;
beforeEach(async () => {
  home = await tempDir('codex-home-');
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function options(over: Partial<LoadAuthOptions> = {}): LoadAuthOptions {
  return {
    codexHome: home,
    env: {},
    agentIdentity: { verify: (jwt) => Promise.resolve(claimsFor(jwt)) },
    ...over,
  };
}

const writeAuth = (obj: unknown) => writeFile(join(home, 'auth.json'), JSON.stringify(obj));
const chatgptFile = {
  OPENAI_API_KEY: null,
  tokens: { id_token: idJwt, access_token: 'at', refresh_token: 'rt', account_id: 'acct-1' },
  last_refresh: '2025-01-01T00:00:00Z',
};
const hostAccess = unsignedJwt({ [AUTH]: { chatgpt_user_id: 'host-user', chatgpt_account_is_fedramp: true } });

describe('loadAuth precedence', () => {
  it('env CODEX_API_KEY beats host tokens, agent identity env and auth.json', async () => {
    await writeAuth(chatgptFile);
    const loaded = await loadAuthWithSource(
      options({
        env: { CODEX_API_KEY: ' sk-env ', CODEX_ACCESS_TOKEN: 'a.b.c' },
        hostTokens: { accessToken: hostAccess, accountId: 'acct-h' },
      }),
    );
    expect(loaded).toEqual({ auth: { mode: 'apiKey', apiKey: 'sk-env' }, source: 'env:CODEX_API_KEY' });
  });

  it('CODEX_API_KEY is ignored when enableCodexApiKeyEnv is false', async () => {
    await writeAuth(chatgptFile);
    const loaded = await loadAuthWithSource(options({ env: { CODEX_API_KEY: 'sk' }, enableCodexApiKeyEnv: false }));
    expect(loaded.source).toBe('authJson');
  });

  it('an empty or blank CODEX_API_KEY counts as unset', async () => {
    await writeAuth({ OPENAI_API_KEY: 'sk-file' });
    expect(await loadAuth(options({ env: { CODEX_API_KEY: '   ' } }))).toEqual({ mode: 'apiKey', apiKey: 'sk-file' });
  });

  it('host tokens beat the agent identity env var and auth.json', async () => {
    await writeAuth(chatgptFile);
    const verify = vi.fn((jwt: string) => Promise.resolve(claimsFor(jwt)));
    const loaded = await loadAuthWithSource(
      options({
        env: { CODEX_ACCESS_TOKEN: 'a.b.c' },
        hostTokens: { accessToken: hostAccess, accountId: 'acct-h', planType: 'HC' },
        agentIdentity: { verify },
      }),
    );
    expect(loaded.source).toBe('hostTokens');
    expect(loaded.auth).toEqual({
      mode: 'chatgptAuthTokens',
      accessToken: hostAccess,
      accountId: 'acct-h',
      chatgptUserId: 'host-user',
      planType: 'enterprise',
      isFedramp: true,
    });
    expect(verify).not.toHaveBeenCalled();
  });

  it('host tokens must carry a decodable access token JWT', async () => {
    await expect(
      loadAuth(options({ hostTokens: { accessToken: 'opaque', accountId: 'a' } })),
    ).rejects.toMatchObject({ code: 'JWT_MALFORMED' });
  });

  it('the agent identity env var beats auth.json and is verified with the configured base URL', async () => {
    await writeAuth(chatgptFile);
    const verify = vi.fn((jwt: string) => Promise.resolve(claimsFor(jwt)));
    const loaded = await loadAuthWithSource(
      options({
        env: { CODEX_ACCESS_TOKEN: 'agent.jwt.value' },
        chatgptBaseUrl: 'http://127.0.0.1:4000/backend-api/',
        agentIdentity: { verify },
      }),
    );
    expect(loaded.source).toBe('env:CODEX_ACCESS_TOKEN');
    expect(loaded.auth).toEqual({ mode: 'agentIdentity', jwt: 'agent.jwt.value', claims: claimsFor('agent.jwt.value') });
    expect(verify).toHaveBeenCalledWith('agent.jwt.value', { chatgptBaseUrl: 'http://127.0.0.1:4000/backend-api/' });
  });

  it('CODEX_AGENT_IDENTITY (0.128.0 alone) is read by neither profile; CODEX_ACCESS_TOKEN is the agent identity env var at codex-0.171', async () => {
    for (const profile of [CLIENT_PROFILES.pr18811, CLIENT_PROFILES['codex-0.171']]) {
      await expect(loadAuthWithSource(options({ profile, env: { CODEX_AGENT_IDENTITY: 'seed.jwt.x' } })), profile.id).rejects.toMatchObject({ code: 'NO_CREDENTIALS' });
    }
    const both = await loadAuthWithSource(options({ env: { CODEX_AGENT_IDENTITY: 'seed.jwt.x', CODEX_ACCESS_TOKEN: 'new.jwt.x' } }));
    expect(both.source).toBe('env:CODEX_ACCESS_TOKEN');
    expect(both.auth.mode === 'agentIdentity' && both.auth.jwt).toBe('new.jwt.x');
  });

  it('a failed agent identity verification propagates its typed error (no fallback to auth.json)', async () => {
    await writeAuth(chatgptFile);
    const verify = () => Promise.reject(new ConformanceInputError('JWT_EXPIRED', 'expired.', 'mint a new one.'));
    await expect(
      loadAuth(options({ env: { CODEX_ACCESS_TOKEN: 'x.y.z' }, agentIdentity: { verify } })),
    ).rejects.toMatchObject({ code: 'JWT_EXPIRED' });
  });

  it('env OPENAI_API_KEY is not a login source', async () => {
    await expect(loadAuth(options({ env: { OPENAI_API_KEY: 'sk-provider' } }))).rejects.toMatchObject({
      code: 'NO_CREDENTIALS',
    });
  });

  it('NO_CREDENTIALS when nothing is configured, naming every source', async () => {
    await expect(loadAuth(options())).rejects.toSatisfy((e: unknown) => {
      const err = e as ConformanceInputError;
      return err.code === 'NO_CREDENTIALS' && err.message.includes('CODEX_API_KEY') && err.message.includes('auth.json');
    });
  });
});

describe('loadAuth from auth.json', () => {
  it('ChatGPT tokens become chatgpt mode with last_refresh', async () => {
    await writeAuth(chatgptFile);
    const auth = await loadAuth(options());
    expect(auth.mode).toBe('chatgpt');
    if (auth.mode !== 'chatgpt') return;
    expect(auth.tokens.accountId).toBe('acct-1');
    expect(auth.tokens.idToken.chatgptUserId).toBe('user-1');
    expect(auth.lastRefresh).toBe('2025-01-01T00:00:00Z');
  });

  it('an API key in auth.json wins over tokens when auth_mode is absent', async () => {
    await writeAuth({ ...chatgptFile, OPENAI_API_KEY: 'sk-file' });
    expect(await loadAuth(options())).toEqual({ mode: 'apiKey', apiKey: 'sk-file' });
  });

  it('explicit auth_mode chatgpt wins over a present API key', async () => {
    await writeAuth({ ...chatgptFile, auth_mode: 'chatgpt', OPENAI_API_KEY: 'sk-file' });
    expect((await loadAuth(options())).mode).toBe('chatgpt');
  });

  it('auth_mode agentIdentity verifies the stored JWT', async () => {
    await writeAuth({ auth_mode: 'agentIdentity', OPENAI_API_KEY: null, agent_identity: 'stored.agent.jwt' });
    expect(await loadAuth(options())).toMatchObject({ mode: 'agentIdentity', jwt: 'stored.agent.jwt' });
  });

  it('auth_mode chatgptAuthTokens in the file loads host-style tokens', async () => {
    await writeAuth({ ...chatgptFile, auth_mode: 'chatgptAuthTokens' });
    expect(await loadAuth(options())).toMatchObject({ mode: 'chatgptAuthTokens', accountId: 'acct-1', planType: 'team' });
  });

  it.each([
    [{ auth_mode: 'apikey', OPENAI_API_KEY: null }, 'AUTH_JSON_MALFORMED'],
    [{ OPENAI_API_KEY: null }, 'AUTH_JSON_MALFORMED'],
    [{ auth_mode: 'agentIdentity', OPENAI_API_KEY: null }, 'AUTH_JSON_MALFORMED'],
    [{ auth_mode: 'personalAccessToken', OPENAI_API_KEY: null, personal_access_token: 'p' }, 'BAD_CONFIG'],
    [
      {
        auth_mode: 'agentIdentity',
        agent_identity: {
          agent_runtime_id: 'r', agent_private_key: 'k', account_id: 'a', chatgpt_user_id: 'u',
          email: 'e', plan_type: 'pro', chatgpt_account_is_fedramp: false,
        },
      },
      'BAD_CONFIG',
    ],
  ])('rejects %j with %s', async (file, code) => {
    await writeAuth(file);
    await expect(loadAuth(options())).rejects.toMatchObject({ code });
  });

  it('a malformed auth.json is an error, not "no credentials"', async () => {
    await writeFile(join(home, 'auth.json'), '{broken');
    await expect(loadAuth(options())).rejects.toMatchObject({ code: 'AUTH_JSON_MALFORMED' });
  });
});
