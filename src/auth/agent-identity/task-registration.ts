/**
 * Agent task registration (codex-rs/agent-identity/src/lib.rs, codex-rs/login/src/auth/agent_identity.rs):
 * POST {authapi}/v1/agent/{agent_runtime_id}/task/register with JSON {timestamp, signature},
 * `timestamp` RFC 3339 to the second with Z, `signature` standard base64 of Ed25519 over
 * "{agent_runtime_id}:{timestamp}". The answer carries `task_id` / `taskId`, or
 * `encrypted_task_id` / `encryptedTaskId`: a sealed box to the agent's X25519 key.
 */
import { ConformanceInputError } from '../../errors.js';
import { agentTaskRegistrationUrl } from '../../urls/derived-urls.js';
import type { AgentIdentityClaims } from '../codex-auth.js';
import { rfc3339Seconds } from './agent-assertion.js';
import { loadAgentKey, signBase64, type AgentKey } from './ed25519-key.js';
import { openSealedBox, x25519SecretFromEd25519Seed } from './sealed-box.js';

export interface TaskRegistrationRequest {
  readonly url: string;
  readonly body: { readonly timestamp: string; readonly signature: string };
}

/** The registration request for `claims` at `now`; pure, no I/O. */
export function taskRegistrationRequest(authapiBaseUrl: string, claims: AgentIdentityClaims, now: Date): TaskRegistrationRequest {
  const key = loadAgentKey(claims.agentPrivateKey);
  const timestamp = rfc3339Seconds(now);
  return {
    url: agentTaskRegistrationUrl(authapiBaseUrl, claims.agentRuntimeId),
    body: { timestamp, signature: signBase64(key, `${claims.agentRuntimeId}:${timestamp}`) },
  };
}

export interface RegisterArgs {
  readonly authapiBaseUrl: string;
  readonly claims: AgentIdentityClaims;
  readonly fetch: typeof fetch;
  readonly now: Date;
}

/** Registers a task and returns its id (decrypting an `encrypted_task_id`). */
export async function registerAgentTask({ authapiBaseUrl, claims, fetch: fetchFn, now }: RegisterArgs): Promise<string> {
  const request = taskRegistrationRequest(authapiBaseUrl, claims, now);
  const fix = 'check that the agent runtime is registered with the backend and that chatgpt_base_url (or CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL) points at it.';
  let response: Response;
  try {
    response = await fetchFn(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request.body),
    });
  } catch (e) {
    throw new ConformanceInputError('TASK_REGISTRATION_FAILED', `POST ${request.url} failed: ${e instanceof Error ? e.message : String(e)}.`, fix);
  }
  if (!response.ok) {
    throw new ConformanceInputError('TASK_REGISTRATION_FAILED', `POST ${request.url} answered ${response.status}.`, fix);
  }
  const body: unknown = await response.json().catch(() => undefined);
  return taskIdFromResponse(body, loadAgentKey(claims.agentPrivateKey), request.url);
}

export function taskIdFromResponse(body: unknown, key: AgentKey, url: string): string {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const plain = record['task_id'] ?? record['taskId'];
  if (typeof plain === 'string' && plain !== '') return plain;
  const sealed = record['encrypted_task_id'] ?? record['encryptedTaskId'];
  if (typeof sealed === 'string' && sealed !== '') return openTaskId(sealed, key);
  throw new ConformanceInputError(
    'TASK_REGISTRATION_FAILED',
    `POST ${url} answered without task_id, taskId, encrypted_task_id or encryptedTaskId.`,
    'answer task registration with a JSON object carrying the task id.',
  );
}

function openTaskId(sealedBase64: string, key: AgentKey): string {
  const fix = 'seal the task id with crypto_box_seal to the X25519 form of the agent\'s Ed25519 public key, then standard base64.';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sealedBase64)) {
    throw new ConformanceInputError('SEALED_BOX_INVALID', 'encrypted_task_id is not standard base64.', fix);
  }
  try {
    const opened = openSealedBox(new Uint8Array(Buffer.from(sealedBase64, 'base64')), x25519SecretFromEd25519Seed(key.seed));
    const taskId = new TextDecoder('utf-8', { fatal: true }).decode(opened);
    if (taskId === '') throw new Error('empty');
    return taskId;
  } catch {
    throw new ConformanceInputError('SEALED_BOX_INVALID', 'encrypted_task_id does not open with this agent\'s key.', fix);
  }
}

/**
 * A once-cell: the first call runs `init`; concurrent and later calls share its result. A failed
 * attempt is forgotten so the next call retries (registration happens once per process).
 */
export function createOnceCell<T>(): (init: () => Promise<T>) => Promise<T> {
  let pending: Promise<T> | undefined;
  return (init) => {
    if (pending === undefined) {
      pending = init().catch((e: unknown) => {
        pending = undefined;
        throw e;
      });
    }
    return pending;
  };
}
