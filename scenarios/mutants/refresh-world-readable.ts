import { defineMutant } from './mutant.js';

/**
 * The refresh writes auth.json whole, but leaves it with the process umask's mode (0644: readable
 * by every local user) instead of 0600, as a writer does that creates the file without a mode.
 * Codex's `FileAuthStorage::save` opens auth.json with mode 0600 (codex-rs/login/src/auth/storage.rs);
 * 0.171.0 replaces it atomically, again 0600 (binary literals, new inode observed).
 */
export const refreshWorldReadable = defineMutant({
  name: 'refresh-world-readable',
  description: 'The refresh writes auth.json with mode 0644 (the umask default) instead of 0600.',
  breaks: { pr18811: 'SHARE.WRITE.004', 'codex-0.171': 'SHARE.WRITE.004' },
  source: 'codex-rs/login/src/auth/storage.rs',
  parts: { persistRefresh: 'worldReadable' },
});
