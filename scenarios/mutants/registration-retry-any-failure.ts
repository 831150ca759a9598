import { registerAgentTask } from '../../src/auth/agent-identity/task-registration.js';
import { defineMutant } from './mutant.js';

/**
 * Task registration is retried after any failure, a refusal (403) included, and at PR #18811
 * (which has no retry loop) after a 5xx within the same call. The source retries only after 429,
 * a 5xx or a transport error, with at most 3 attempts per load, from 0.142.0 on
 * (codex-rs/login/src/auth/agent_identity.rs `register_task_for_record_with_retries`); PR #18811
 * makes one attempt per call.
 */
const registerRetryingAnyFailure: typeof registerAgentTask = async (args) => {
  try {
    return await registerAgentTask(args);
  } catch {
    return registerAgentTask(args);
  }
};

export const registrationRetryAnyFailure = defineMutant({
  name: 'registration-retry-any-failure',
  description: 'A failed task registration is sent again at once whatever the failure, a 403 refusal included.',
  breaks: { pr18811: 'AGENT.TASK.004', 'codex-0.171': 'AGENT.TASK.004' },
  source: 'codex-rs/login/src/auth/agent_identity.rs (register_task_for_record_with_retries); codex-rs/agent-identity/src/lib.rs',
  parts: { registerAgentTask: registerRetryingAnyFailure },
});
