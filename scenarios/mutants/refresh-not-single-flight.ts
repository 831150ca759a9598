import { defineMutant } from './mutant.js';

/**
 * No refresh lock: every request that finds the access token stale refreshes on its own, so
 * concurrent requests of one session redeem the same refresh token several times (all but the
 * first get 401 `refresh_token_reused`). The source serializes refreshes per AuthManager
 * (`refresh_lock`, PR #15798 / PR #18403, codex-rs/login/src/auth/manager.rs) and a caller that
 * waited uses the result.
 */
export const refreshNotSingleFlight = defineMutant({
  name: 'refresh-not-single-flight',
  description: 'Concurrent requests each refresh the stale token themselves (no refresh lock), redeeming one refresh token several times.',
  breaks: { pr18811: 'SHARE.SINGLEFLIGHT.001', 'codex-0.171': 'SHARE.SINGLEFLIGHT.001' },
  source: 'codex-rs/login/src/auth/manager.rs',
  parts: { refreshFlight: 'none' },
});
