import { defineMutant } from './mutant.js';

/**
 * Every caller builds its own AuthManager from the config instead of sharing the process's one,
 * so the once-per-process task registration (a once-cell on the manager,
 * codex-rs/login/src/auth/agent_identity.rs) runs again for every request: one agent runtime
 * piles up tasks on the backend.
 */
export const taskPerRequest = defineMutant({
  name: 'task-per-request',
  description: 'Each request builds a fresh AuthManager, so agent task registration (meant to run once per process) runs before every request.',
  breaks: 'AGENT.TASK.001',
  source: 'codex-rs/login/src/auth/agent_identity.rs',
  parts: { authSource: (_shared, createManager) => createManager() },
});
