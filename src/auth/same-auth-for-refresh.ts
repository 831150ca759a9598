import type { CodexAuth } from './codex-auth.js';

/**
 * Whether two auth snapshots are the same credentials for refresh purposes: the manager's test for
 * "another process already refreshed" and for dropping a remembered permanent failure
 * (`AuthManager::auths_equal_for_refresh` in codex-rs/login/src/auth/manager.rs@0126a9dd).
 */
export function sameAuthForRefresh(a: CodexAuth, b: CodexAuth): boolean {
  switch (a.mode) {
    case 'apiKey':
      return b.mode === 'apiKey' && a.apiKey === b.apiKey;
    case 'chatgpt':
      return (
        b.mode === 'chatgpt' &&
        a.tokens.accessToken === b.tokens.accessToken &&
        a.tokens.refreshToken === b.tokens.refreshToken &&
        a.tokens.idToken.rawJwt === b.tokens.idToken.rawJwt &&
        a.tokens.accountId === b.tokens.accountId &&
        a.lastRefresh === b.lastRefresh
      );
    case 'chatgptAuthTokens':
      return b.mode === 'chatgptAuthTokens' && a.accessToken === b.accessToken && a.accountId === b.accountId;
    case 'agentIdentity':
      return b.mode === 'agentIdentity' && a.jwt === b.jwt && a.claims.agentRuntimeId === b.claims.agentRuntimeId && a.claims.agentPrivateKey === b.claims.agentPrivateKey;
    case 'personalAccessToken':
      return b.mode === 'personalAccessToken' && a.token === b.token;
    case 'headers':
      return b.mode === 'headers' && JSON.stringify(a.headers) === JSON.stringify(b.headers);
    case 'bedrockApiKey':
      return b.mode === 'bedrockApiKey' && a.apiKey === b.apiKey && a.region === b.region;
    default: {
      const never: never = a;
      return never;
    }
  }
}
