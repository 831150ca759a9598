import { defineMutant } from './mutant.js';

/**
 * A refresh redeems the refresh token the process cached at load, without re-reading auth.json
 * first: after another process rotated the shared login, this one presents the spent generation
 * (401 `refresh_token_reused`). The bug Codex had before PR #11802 (refresh on a 401) and PR
 * #15357 (proactive refresh), codex-rs/login/src/auth/manager.rs `refresh_token` →
 * `reload_if_account_id_matches`.
 */
export const refreshWithoutReload = defineMutant({
  name: 'refresh-without-reload',
  description: 'A refresh redeems the cached refresh token without the guarded reload of auth.json, so it spends a generation another process already rotated.',
  breaks: { pr18811: 'SHARE.RELOAD.001', 'codex-0.171': 'SHARE.RELOAD.001' },
  source: 'codex-rs/login/src/auth/manager.rs',
  parts: { reloadBeforeRefresh: 'cached' },
});
