import type { AuthProviderOptions } from '../../src/auth/auth-provider-for.js';
import { authProviderFor } from '../../src/auth/auth-provider-for.js';
import type { AuthProvider } from '../../src/auth/auth-provider.js';
import { accountId } from '../../src/auth/auth-getters.js';
import type { CodexAuth } from '../../src/auth/codex-auth.js';
import { defineMutant } from './mutant.js';

/**
 * Providers memoized per ChatGPT account: the first provider built for an account is reused, so
 * after a refresh (same account, new access token) requests still carry the pre-refresh token and
 * the retry after a 401 fails again. The source builds the provider from the auth current at
 * request time (codex-rs/login/src/auth/manager.rs `UnauthorizedRecovery`, then a new provider).
 *
 * The memo lives as long as one AuthManager (one process): the manager hands every provider it
 * builds the same clock function, which serves as the memo's owner.
 */
const memos = new WeakMap<object, Map<string, AuthProvider>>();
const unowned = new Map<string, AuthProvider>();

function memoizedProvider(auth: CodexAuth, opts: AuthProviderOptions = {}): AuthProvider {
  const account = auth.mode === 'chatgpt' ? accountId(auth) : undefined;
  if (account === undefined) return authProviderFor(auth, opts);
  let byAccount = opts.now === undefined ? unowned : memos.get(opts.now);
  if (byAccount === undefined) {
    byAccount = new Map();
    memos.set(opts.now!, byAccount);
  }
  const known = byAccount.get(account);
  if (known !== undefined) return known;
  const built = authProviderFor(auth, opts);
  byAccount.set(account, built);
  return built;
}

export const staleTokenAfterRefresh = defineMutant({
  name: 'stale-token-after-refresh',
  description: 'The provider is cached per account, so after a token refresh requests keep sending the pre-refresh access token.',
  breaks: { pr18811: 'REFRESH.TOKEN.001', 'codex-0.171': 'REFRESH.TOKEN.001' },
  source: 'codex-rs/login/src/auth/manager.rs',
  parts: { providerFor: memoizedProvider },
});
