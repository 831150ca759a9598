import type { CodexAuth } from './codex-auth.js';
import { TaskRegistrationError } from './agent-identity/task-registration.js';

/**
 * The agent task of a loaded agent identity, registered once per load value: concurrent callers
 * share one registration, a new load registers again, and a failed registration may be tried again
 * by a later call (`AgentIdentityAuth::ensure_runtime` in codex-rs/login/src/auth/agent_identity.rs@1e7775ad:
 * a OnceCell per loaded auth, filled by registering against `agent_identity_authapi_base_url`).
 * With `reuse` off (a mutant) every call registers.
 */
export class AgentTaskOnce {
  readonly #register: (auth: CodexAuth & { mode: 'agentIdentity' }) => Promise<string>;
  readonly #reuse: boolean;
  /** The task registered for the loaded auth value. */
  #task: { auth: CodexAuth; taskId: Promise<string> } | undefined;

  constructor(register: (auth: CodexAuth & { mode: 'agentIdentity' }) => Promise<string>, reuse: boolean) {
    this.#register = register;
    this.#reuse = reuse;
  }

  taskId(auth: CodexAuth & { mode: 'agentIdentity' }): Promise<string> {
    if (this.#task !== undefined && this.#task.auth === auth && this.#reuse) return this.#task.taskId;
    const taskId = this.#register(auth);
    const entry = { auth, taskId };
    this.#task = entry;
    taskId.catch(() => {
      if (this.#task === entry) this.#task = undefined; // a failed registration can be retried
    });
    return taskId;
  }
}

/** One load's registration: `attempt` again after a retryable failure, up to `attempts` in all. */
export async function registerWithRetries(attempt: () => Promise<string>, attempts: number): Promise<string> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof TaskRegistrationError && e.retryable && n < attempts)) throw e;
    }
  }
}
