import type { AuthProviderOptions } from '../../src/auth/auth-provider-for.js';
import { authProviderFor } from '../../src/auth/auth-provider-for.js';
import type { AuthProvider } from '../../src/auth/auth-provider.js';
import type { CodexAuth } from '../../src/auth/codex-auth.js';
import { defineMutant } from './mutant.js';

/**
 * The first request of a session leaves before the managed login is applied: the first provider
 * built for a managed ChatGPT login sets no header, so that request has no Authorization (and
 * gets 401 "Missing bearer or basic authentication"); the recovery's new provider is complete.
 * Written to the mechanism connectonion#874 reports for `codex app-server` 0.145.0 (turn/start
 * failed until the client called `account/read {refreshToken: true}` first). The source applies
 * the auth headers to every codex-backend request (codex-rs/model-provider/src/bearer_auth_provider.rs).
 *
 * "First" is per AuthManager (one session): the manager hands every provider it builds the same
 * clock function, which marks the session as served (as stale-token-after-refresh.ts does).
 */
const served = new WeakSet<object>();

function firstProviderWithoutHeaders(auth: CodexAuth, opts: AuthProviderOptions = {}): AuthProvider {
  if (auth.mode !== 'chatgpt' || opts.now === undefined || served.has(opts.now)) return authProviderFor(auth, opts);
  served.add(opts.now);
  return { applyHeaders() {} };
}

export const firstRequestUnauthenticated = defineMutant({
  name: 'first-request-unauthenticated',
  description: 'The first request of a session with managed ChatGPT tokens is sent without Authorization or ChatGPT-Account-ID; later requests carry them.',
  breaks: { pr18811: 'HDR.BACKEND.001', 'codex-0.171': 'HDR.BACKEND.001' },
  source: 'https://github.com/openonion/connectonion/issues/874; codex-rs/model-provider/src/bearer_auth_provider.rs',
  parts: { providerFor: firstProviderWithoutHeaders },
});
