/**
 * The `AgentAssertion` authorization header (codex-rs/agent-identity/src/lib.rs): base64url
 * without padding of the JSON object with keys in sorted order agent_runtime_id, signature,
 * task_id, timestamp; `signature` = standard base64 of Ed25519 over
 * "{agent_runtime_id}:{task_id}:{timestamp}".
 */
import type { AgentIdentityClaims } from '../codex-auth.js';
import { loadAgentKey, signBase64 } from './ed25519-key.js';

export const AGENT_ASSERTION_SCHEME = 'AgentAssertion';

export interface AgentAssertionInput {
  readonly claims: AgentIdentityClaims;
  readonly taskId: string;
  /** RFC 3339 UTC to the second with `Z` (see `rfc3339Seconds`). */
  readonly timestamp: string;
}

/** The full header value: `AgentAssertion <base64url(JSON)>`. */
export function buildAgentAssertion({ claims, taskId, timestamp }: AgentAssertionInput): string {
  const key = loadAgentKey(claims.agentPrivateKey);
  const runtime = claims.agentRuntimeId;
  const envelope = {
    agent_runtime_id: runtime,
    signature: signBase64(key, `${runtime}:${taskId}:${timestamp}`),
    task_id: taskId,
    timestamp,
  };
  return `${AGENT_ASSERTION_SCHEME} ${Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url')}`;
}

/** RFC 3339 UTC to the second with a `Z` suffix, e.g. `2026-11-28T15:00:00Z`. */
export function rfc3339Seconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
