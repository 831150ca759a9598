/**
 * Agent task registration (codex-rs/agent-identity/src/lib.rs, codex-rs/login/src/auth/agent_identity.rs):
 * POST {authapi}/v1/agent/{agent_runtime_id}/task/register with JSON {timestamp, signature},
 * `timestamp` RFC 3339 to the second with Z, `signature` standard base64 of Ed25519 over
 * "{agent_runtime_id}:{timestamp}" (reqwest `.json(&request)`: `content-type: application/json`).
 * The answer carries `task_id` / `taskId`, or `encrypted_task_id` / `encryptedTaskId`: a sealed
 * box to the agent's X25519 key. When a task is registered, and how often, is the AuthManager's
 * (src/auth/auth-manager.ts).
 */
import { ConformanceInputError } from '../../errors.js';
import { agentTaskRegistrationUrl } from '../../urls/derived-urls.js';
import type { AgentIdentityClaims } from '../codex-auth.js';
import { rfc3339Seconds } from './agent-assertion.js';
import { loadAgentKey, signBase64, type AgentKey } from './ed25519-key.js';
import { openSealedBox, x25519SecretFromEd25519Seed } from './sealed-box.js';

/**
 * A failed registration, saying whether the source would try again: 0.171.0 retries (up to 3
 * attempts per load) after HTTP 429, a 5xx or a transport error, and fails at once otherwise
 * (codex-rs/login/src/auth/agent_identity.rs `register_task_for_record_with_retries`).
 */
export class TaskRegistrationError extends ConformanceInputError {
  readonly retryable: boolean;
  constructor(problem: string, fix: string, retryable: boolean) {
    // Stryker disable next-line StringLiteral: error code, not judged (the retry looks at `retryable` only)
    super('TASK_REGISTRATION_FAILED', problem, fix);
    this.retryable = retryable;
  }
}

/** True for a status the source retries a registration after. */
export function isRetryableRegistrationStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** codex-rs/agent-identity/src/lib.rs `AGENT_TASK_REGISTRATION_TIMEOUT` (30 s). */
export const TASK_REGISTRATION_TIMEOUT_MS = 30_000;

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
  // Stryker disable next-line StringLiteral: message text, not judged
  const fix = 'check that the agent runtime is registered with the backend and that chatgpt_base_url (or CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL) points at it.';
  let response: Response;
  try {
    response = await fetchFn(request.url, {
      method: 'POST',
      signal: AbortSignal.timeout(TASK_REGISTRATION_TIMEOUT_MS),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
  } catch (e) {
    // Stryker disable next-line StringLiteral,ConditionalExpression: message text, not judged
    throw new TaskRegistrationError(`POST ${request.url} failed: ${e instanceof Error ? e.message : String(e)}.`, fix, true);
  }
  if (!response.ok) {
    // Stryker disable next-line StringLiteral: message text, not judged
    throw new TaskRegistrationError(`POST ${request.url} answered ${response.status}.`, fix, isRetryableRegistrationStatus(response.status));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw new ConformanceInputError('TASK_REGISTRATION_FAILED', `POST ${request.url} answered ${response.status} with a body that is not JSON.`, fix);
  }
  return taskIdFromResponse(body, loadAgentKey(claims.agentPrivateKey), request.url);
}

/**
 * The task id of a registration answer, as the client reads it: `task_id`, else `taskId`, else
 * `encrypted_task_id`, else `encryptedTaskId` (sealed box, standard base64). A field that is null
 * or absent is skipped; a present string is taken as is (even empty, as serde would); any other
 * JSON type fails the whole answer, as serde's `Option<String>` does.
 */
export function taskIdFromResponse(body: unknown, key: AgentKey, url: string): string {
  // Stryker disable next-line StringLiteral: message text, not judged
  const fix = 'answer task registration with a JSON object carrying task_id (or taskId, encrypted_task_id, encryptedTaskId) as a string.';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw new ConformanceInputError('TASK_REGISTRATION_FAILED', `POST ${url} did not answer a JSON object.`, fix);
  }
  const record = body as Record<string, unknown>;
  const field = (name: string): string | undefined => {
    const v = record[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    // Stryker disable next-line StringLiteral,ConditionalExpression: error code and message text, not judged
    throw new ConformanceInputError('TASK_REGISTRATION_FAILED', `POST ${url} answered ${name} as ${Array.isArray(v) ? 'an array' : typeof v}, not a string.`, fix);
  };
  const taskId = field('task_id');
  const taskIdCamel = field('taskId');
  const encrypted = field('encrypted_task_id');
  const encryptedCamel = field('encryptedTaskId');
  const plain = taskId ?? taskIdCamel;
  if (plain !== undefined) return plain;
  const sealed = encrypted ?? encryptedCamel;
  if (sealed !== undefined) return openTaskId(sealed, key);
  // Stryker disable next-line StringLiteral: error code and message text, not judged
  throw new ConformanceInputError('TASK_REGISTRATION_FAILED', `POST ${url} answered without task_id, taskId, encrypted_task_id or encryptedTaskId.`, fix);
}

/** Opens an `encrypted_task_id` (codex-rs/agent-identity/src/lib.rs `decrypt_task_id_response`). */
export function openTaskId(sealedBase64: string, key: AgentKey): string {
  // Stryker disable next-line StringLiteral: message text, not judged
  const fix = "seal the task id with crypto_box_seal to the X25519 form of the agent's Ed25519 public key, then standard base64 (padded).";
  // BASE64_STANDARD with canonical padding: Node's decoder skips what is not base64 (whitespace, `-_`,
  // a missing `=`), so the text must be exactly what the bytes encode back to.
  const bytes = Buffer.from(sealedBase64, 'base64');
  if (bytes.toString('base64') !== sealedBase64) {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw new ConformanceInputError('SEALED_BOX_INVALID', 'encrypted_task_id is not canonical standard base64.', fix);
  }
  const opened = openSealedBox(new Uint8Array(bytes), x25519SecretFromEd25519Seed(key.seed));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(opened);
  } catch {
    // Stryker disable next-line StringLiteral: error code and message text, not judged
    throw new ConformanceInputError('SEALED_BOX_INVALID', 'encrypted_task_id opens, but the task id is not UTF-8.', fix);
  }
}
