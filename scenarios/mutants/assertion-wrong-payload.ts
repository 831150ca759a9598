import { AUTHORIZATION_HEADER, assertionTimestamp, authProviderFor } from '../../src/auth/auth-provider-for.js';
import { AGENT_ASSERTION_SCHEME } from '../../src/auth/agent-identity/agent-assertion.js';
import { loadAgentKey, signBase64 } from '../../src/auth/agent-identity/ed25519-key.js';
import { defineMutant } from './mutant.js';

/**
 * The AgentAssertion signature is computed over the task-registration payload
 * `"{agent_runtime_id}:{timestamp}"` (copied from the registration code) instead of
 * `"{agent_runtime_id}:{task_id}:{timestamp}"` (codex-rs/agent-identity/src/lib.rs). The envelope
 * is otherwise well formed, so only signature verification notices.
 */
export const assertionWrongPayload = defineMutant({
  name: 'assertion-wrong-payload',
  description: 'The AgentAssertion signature covers "{agent_runtime_id}:{timestamp}" (the registration payload) and omits the task id.',
  breaks: { pr18811: 'AGENT.ASSERT.003', 'codex-0.171': 'AGENT.ASSERT.003' },
  source: 'codex-rs/agent-identity/src/lib.rs',
  parts: {
    providerFor: (auth, opts = {}) => {
      const inner = authProviderFor(auth, opts);
      if (auth.mode !== 'agentIdentity' || opts.taskId === undefined) return inner;
      const taskId = opts.taskId;
      const now = opts.now ?? (() => new Date());
      const key = loadAgentKey(auth.claims.agentPrivateKey);
      return {
        applyHeaders(headers) {
          inner.applyHeaders(headers);
          const runtime = auth.claims.agentRuntimeId;
          const timestamp = assertionTimestamp(now());
          const envelope = { agent_runtime_id: runtime, signature: signBase64(key, `${runtime}:${timestamp}`), task_id: taskId, timestamp };
          headers.set(AUTHORIZATION_HEADER, `${AGENT_ASSERTION_SCHEME} ${Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url')}`);
        },
      };
    },
  },
});
