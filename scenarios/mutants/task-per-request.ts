import { defineMutant } from './mutant.js';

/**
 * The loaded agent identity forgets its registered task: every provider build registers a new
 * task instead of reusing the one registered when the auth was loaded (the per-load cache of
 * codex-rs/login/src/auth/agent_identity.rs: a once-cell at PR #18811, `record.task_id` later), so
 * one agent runtime piles up tasks on the backend, one per request. Loading the auth again
 * (another AuthManager, a reload) registering again is intended; registering per request on one
 * load is not (AGENT.TASK.005, judged where a JWKS fetch marks each load: codex-0.171).
 */
export const taskPerRequest = defineMutant({
  name: 'task-per-request',
  description: 'A loaded agent identity registers a new task before every request instead of reusing the task registered when it was loaded.',
  breaks: { 'codex-0.171': 'AGENT.TASK.005' },
  source: 'codex-rs/login/src/auth/agent_identity.rs',
  parts: { taskCache: 'none' },
});
