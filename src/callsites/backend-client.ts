import type { Callsite } from './callsite.js';
import { requireCodexBackend } from './gates.js';

/**
 * backend-client: the rate-limit snapshot (`Client::get_rate_limits_many`). Callers build the
 * client with `Client::from_auth` only after `auth.uses_codex_backend()` (e.g. codex-rs/tui
 * rate-limit check). Path per style: `/wham/usage` | `/api/codex/usage`.
 */
export const backendClientRateLimits: Callsite = {
  id: 'backend-client.rate-limits',
  title: 'backend client fetches rate limits',
  method: 'GET',
  target: 'chatgptBackend',
  path: (style) => (style === 'wham' ? '/wham/usage' : '/api/codex/usage'),
  gate: (auth) => requireCodexBackend(auth, 'the backend client'),
  source: 'codex-rs/backend-client/src/client.rs',
};
