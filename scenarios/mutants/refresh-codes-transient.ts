import { defineMutant } from './mutant.js';

/**
 * Only a 401 from the token endpoint counts as a permanent refresh failure: a 400 carrying
 * `refresh_token_reused` / `_expired` / `_invalidated`, or a 400 `invalid_grant`, is treated as
 * transient and the refresh is tried again. Codex through 0.133 classified this way (release
 * facts); PR #24830 ("treat known codes as permanent at any status", merged 2026-05-27) fixed it
 * after retries ended in a generic cloud-requirements error instead of "log in again" (corpus A3).
 * Under pr18811 this is the profile's own behaviour, so the mutant breaks only codex-0.171.
 */
export const refreshCodesTransient = defineMutant({
  name: 'refresh-codes-transient',
  description: 'A 400 refresh_token_reused (or any known refresh error code, or invalid_grant) from the token endpoint is treated as transient and retried; only a 401 is permanent.',
  breaks: { 'codex-0.171': 'REFRESH.ERROR.003' },
  source: 'https://github.com/openai/codex/pull/24830; codex-rs/login/src/auth/manager.rs',
  parts: { permanentRefreshFailures: 'unauthorizedOnly' },
});
