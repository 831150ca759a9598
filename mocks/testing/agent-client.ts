import { createPrivateKey, sign } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { AgentIdentityFixture } from '../state/issued-records.js';
import { openSealedBox } from '../../src/auth/agent-identity/sealed-box.js';

/**
 * Client-side helpers for mock tests: what an agent does with its identity (sign a task
 * registration, build an AgentAssertion header, open an encrypted task id). Test support only;
 * the reference client lives in src/auth/.
 */
export function rfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function privateKeyOf(identity: AgentIdentityFixture) {
  return createPrivateKey({ key: Buffer.from(identity.privateKeyPkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
}

export function signText(identity: AgentIdentityFixture, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKeyOf(identity)).toString('base64');
}

export function registrationBody(identity: AgentIdentityFixture, nowMs: number): { timestamp: string; signature: string } {
  const timestamp = rfc3339Seconds(nowMs);
  return { timestamp, signature: signText(identity, `${identity.runtimeId}:${timestamp}`) };
}

export function assertionHeader(
  identity: AgentIdentityFixture,
  taskId: string,
  nowMs: number,
  overrides: Partial<Record<'agent_runtime_id' | 'signature' | 'task_id' | 'timestamp', string>> = {},
): string {
  const timestamp = overrides.timestamp ?? rfc3339Seconds(nowMs);
  const runtime = overrides.agent_runtime_id ?? identity.runtimeId;
  const task = overrides.task_id ?? taskId;
  const payload = {
    agent_runtime_id: runtime,
    signature: overrides.signature ?? signText(identity, `${runtime}:${task}:${timestamp}`),
    task_id: task,
    timestamp,
  };
  return `AgentAssertion ${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}`;
}

/** Opens `encrypted_task_id` with the X25519 secret derived from the Ed25519 seed. */
export function openEncryptedTaskId(identity: AgentIdentityFixture, encryptedBase64: string): string {
  const der = Buffer.from(identity.privateKeyPkcs8Base64, 'base64');
  const seed = new Uint8Array(der.subarray(der.length - 32));
  const xsk = ed25519.utils.toMontgomerySecret(seed);
  return new TextDecoder().decode(openSealedBox(new Uint8Array(Buffer.from(encryptedBase64, 'base64')), xsk));
}
