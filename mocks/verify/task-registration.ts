import type { MockBackend } from '../state/mock-backend.js';
import type { IssuedTask } from '../state/issued-records.js';
import { verifyEd25519 } from './ed25519.js';
import { reject, type Rejection } from './rejection.js';
import { checkTimestamp } from './timestamp.js';

/**
 * `POST {authapi}/v1/agent/{agent_runtime_id}/task/register` with JSON `{timestamp, signature}`;
 * signature = base64 (standard) Ed25519 over "{agent_runtime_id}:{timestamp}"
 * (codex-rs/agent-identity/src/lib.rs). The timestamp skew bounds replays; an identical body
 * within the same second is answered again with a new task, since a client that registers twice in
 * one second (0.171.0 does) sends byte-identical bodies.
 */
export type TaskRegistrationResult =
  | { readonly ok: true; readonly task: IssuedTask }
  | { readonly ok: false; readonly rejection: Rejection };

export function verifyTaskRegistration(backend: MockBackend, runtimeId: string, body: unknown): TaskRegistrationResult {
  const fail = (r: Rejection): TaskRegistrationResult => ({ ok: false, rejection: r });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(reject(400, 'invalid_request', 'The registration body must be a JSON object {timestamp, signature}.'));
  }
  const { timestamp, signature } = body as Record<string, unknown>;
  if (typeof timestamp !== 'string' || typeof signature !== 'string') {
    return fail(reject(400, 'invalid_request', 'timestamp and signature must both be strings.'));
  }
  const runtime = backend.runtimes.get(runtimeId);
  if (runtime === undefined) return fail(reject(404, 'unknown_runtime', 'No agent runtime with this id is registered.'));
  if (!verifyEd25519(runtime.publicKey, `${runtimeId}:${timestamp}`, signature)) {
    return fail(reject(401, 'bad_signature', 'The registration signature does not verify with the runtime key.'));
  }
  const skew = checkTimestamp(timestamp, backend.now(), backend.options.assertionSkewSeconds);
  if (skew !== undefined) return fail(skew);
  return { ok: true, task: backend.issueTask(runtimeId) };
}
