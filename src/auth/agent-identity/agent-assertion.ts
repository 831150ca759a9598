/**
 * The `AgentAssertion` authorization header. Facts (codex-rs/agent-identity/src/lib.rs
 * `authorization_header_for_agent_task`, `serialize_agent_assertion`, `sign_agent_assertion_payload`):
 * value = "AgentAssertion " + base64url without padding of the compact JSON object whose keys
 * come in sorted order agent_runtime_id, signature, task_id, timestamp (a BTreeMap);
 * `signature` = standard base64 of the Ed25519 signature over
 * "{agent_runtime_id}:{task_id}:{timestamp}"; `timestamp` = RFC 3339 UTC to the second with `Z`
 * (chrono `SecondsFormat::Secs`, `use_z`), taken when the header is built.
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

/** The text the assertion signature covers. */
export function agentAssertionSigningText(agentRuntimeId: string, taskId: string, timestamp: string): string {
  return `${agentRuntimeId}:${taskId}:${timestamp}`;
}

/** The compact JSON with keys in sorted order, as the client serializes it. */
export function envelopeJson(fields: { readonly agentRuntimeId: string; readonly signature: string; readonly taskId: string; readonly timestamp: string }): string {
  return JSON.stringify({
    agent_runtime_id: fields.agentRuntimeId,
    signature: fields.signature,
    task_id: fields.taskId,
    timestamp: fields.timestamp,
  });
}

/** The full header value: `AgentAssertion <base64url(JSON)>`. Throws PKCS8_INVALID for a bad key. */
export function buildAgentAssertion({ claims, taskId, timestamp }: AgentAssertionInput): string {
  const key = loadAgentKey(claims.agentPrivateKey);
  const agentRuntimeId = claims.agentRuntimeId;
  const signature = signBase64(key, agentAssertionSigningText(agentRuntimeId, taskId, timestamp));
  const json = envelopeJson({ agentRuntimeId, signature, taskId, timestamp });
  return `${AGENT_ASSERTION_SCHEME} ${Buffer.from(json, 'utf8').toString('base64url')}`;
}

/** RFC 3339 UTC to the second with a `Z` suffix, e.g. `2026-11-28T15:00:00Z`. */
export function rfc3339Seconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
