import { defineMutant } from './mutant.js';

/**
 * An account switcher's saved profile: the client keeps its own copy of auth.json, updated only by
 * its own refreshes, and writes it back after each request. When another process rotated the login
 * in between, the copy is an older generation and replaces the newer one on disk, whose spent
 * predecessor the next Codex process then redeems (corpus A10, myrialabs/clopen#378). Codex writes
 * only what it has just minted (`persist_tokens`, codex-rs/login/src/auth/manager.rs).
 */
export const restoresSavedLogin = defineMutant({
  name: 'restores-saved-login',
  description: 'After each request the client writes back its saved copy of auth.json, replacing a newer generation another process wrote.',
  breaks: { pr18811: 'SHARE.WRITE.003', 'codex-0.171': 'SHARE.WRITE.003' },
  source: 'codex-rs/login/src/auth/manager.rs',
  parts: { savedLogin: 'restoreSavedLogin' },
});
