import type { CredentialAttribution } from '../../src/rules/observed-request.js';
import type { Account } from '../state/accounts.js';
import type { MockBackend } from '../state/mock-backend.js';
import { verifyEd25519 } from './ed25519.js';
import { reject, type Rejection } from './rejection.js';
import { checkTimestamp } from './timestamp.js';

/**
 * Backend-side check of `Authorization: AgentAssertion <base64url JSON>`
 * (codex-rs/agent-identity/src/lib.rs): keys agent_runtime_id, signature, task_id, timestamp;
 * signature = Ed25519 over "{agent_runtime_id}:{task_id}:{timestamp}" by the runtime's key; the
 * task must have been issued to that runtime; the timestamp within the allowed skew.
 */
export interface AssertionFields {
  readonly agentRuntimeId: string;
  readonly taskId: string;
  readonly timestamp: string;
  readonly signature: string;
}

export type AssertionResult =
  | { readonly ok: true; readonly account: Account; readonly credential: CredentialAttribution }
  | { readonly ok: false; readonly rejection: Rejection; readonly credential: CredentialAttribution };

const MAX_ASSERTION_CHARS = 4096;

export function decodeAssertion(value: string): AssertionFields | string {
  if (value.length > MAX_ASSERTION_CHARS) return 'assertion is too long';
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return 'assertion is not base64url without padding';
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return 'assertion is not base64url-encoded JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'assertion is not a JSON object';
  const o = parsed as Record<string, unknown>;
  const fields = ['agent_runtime_id', 'signature', 'task_id', 'timestamp'] as const;
  for (const f of fields) {
    if (typeof o[f] !== 'string' || (o[f] as string).length === 0) return `assertion field ${f} is missing or not a string`;
  }
  return {
    agentRuntimeId: o['agent_runtime_id'] as string,
    taskId: o['task_id'] as string,
    timestamp: o['timestamp'] as string,
    signature: o['signature'] as string,
  };
}

export function verifyAgentAssertionHeader(backend: MockBackend, value: string): AssertionResult {
  const challenge = { challengeScheme: 'AgentAssertion' } as const;
  const decoded = decodeAssertion(value);
  if (typeof decoded === 'string') {
    return {
      ok: false,
      rejection: reject(401, 'assertion_malformed', `The AgentAssertion ${decoded}.`, challenge),
      credential: { kind: 'malformed', reason: decoded },
    };
  }
  const runtime = backend.runtimes.get(decoded.agentRuntimeId);
  const task = backend.tasks.get(decoded.taskId);
  const account = runtime === undefined ? undefined : backend.accounts.get(runtime.accountId);
  const taskIssuedToRuntime = task !== undefined && task.runtimeId === decoded.agentRuntimeId;
  const signatureValid =
    runtime !== undefined &&
    verifyEd25519(runtime.publicKey, `${decoded.agentRuntimeId}:${decoded.taskId}:${decoded.timestamp}`, decoded.signature);
  const credential: CredentialAttribution = {
    kind: 'agentAssertion',
    agentRuntimeId: decoded.agentRuntimeId,
    taskId: decoded.taskId,
    timestamp: decoded.timestamp,
    ...(account === undefined ? {} : { accountId: account.id, isFedramp: account.isFedramp }),
    signatureValid,
    taskIssuedToRuntime,
  };
  const fail = (status: number, code: string, message: string): AssertionResult => ({
    ok: false,
    rejection: reject(status, code, message, challenge),
    credential,
  });
  if (runtime === undefined || account === undefined) {
    return fail(401, 'unknown_runtime', 'The agent runtime was not registered with this backend.');
  }
  if (task === undefined) return fail(401, 'task_unknown', 'The task id was not issued by this backend.');
  if (!taskIssuedToRuntime) return fail(401, 'task_foreign', 'The task id was issued to a different agent runtime.');
  if (task.revoked) return fail(401, 'task_revoked', 'The task id was revoked.');
  if (!signatureValid) return fail(401, 'bad_signature', 'The AgentAssertion signature does not verify with the runtime key.');
  const skew = checkTimestamp(decoded.timestamp, backend.now(), backend.options.assertionSkewSeconds);
  if (skew !== undefined) return { ok: false, rejection: { ...skew, ...challenge }, credential };
  return { ok: true, account, credential };
}
