/**
 * Structural and cryptographic checks of an `AgentAssertion` header value, written from the rules
 * (codex-rs/agent-identity/src/lib.rs: `authorization_header_for_agent_task`,
 * `serialize_agent_assertion`, `sign_agent_assertion_payload`), not from the reference client:
 * - the token is base64url without padding of a JSON object (AGENT.ASSERT.001);
 * - keys exactly agent_runtime_id, signature, task_id, timestamp, sorted, string values (002);
 * - signature: standard base64 of Ed25519 over "{runtime}:{task}:{timestamp}" (003);
 * - timestamp RFC 3339 to the second with Z (004); task issued to the runtime (005);
 * - runtime id is the identity's (006).
 */
import type { KeyObject } from 'node:crypto';
import { ed25519Verifies } from './ed25519-key.js';
import { fail, type RuleResult } from './result.js';
import { fingerprint } from '../redact/fingerprint.js';

export const ASSERTION_KEYS = ['agent_runtime_id', 'signature', 'task_id', 'timestamp'] as const;
const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]+$/;
const BASE64_STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339_SECONDS_Z = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export interface DecodedAssertion {
  readonly agentRuntimeId: string;
  readonly taskId: string;
  readonly timestamp: string;
  readonly signature: string;
}

export interface AssertionExpectations {
  /** The runtime id of the identity in use (AGENT.ASSERT.006). */
  readonly agentRuntimeId?: string;
  /** The identity's public key (AGENT.ASSERT.003). */
  readonly publicKey?: KeyObject;
  /** Task ids registration issued, per runtime id (AGENT.ASSERT.005). */
  readonly taskIdsIssued?: ReadonlyMap<string, readonly string[]>;
}

export interface AssertionCheck {
  readonly decoded?: DecodedAssertion;
  readonly failures: RuleResult[];
  /** Rules this header could be judged on (the rest were skipped for lack of context). */
  readonly judged: string[];
}

/** Checks the token after `AgentAssertion `; returns failures and which rules were judged. */
export function checkAssertionToken(token: string, want: AssertionExpectations, caseId?: string): AssertionCheck {
  const failures: RuleResult[] = [];
  const judged = ['AGENT.ASSERT.001'];
  const shownToken = fingerprint(token);
  if (!BASE64URL_NO_PAD.test(token)) {
    const why = token.includes('=') ? 'padding' : /[+/]/.test(token) ? 'standard-base64 characters' : 'characters outside base64url';
    failures.push(fail('AGENT.ASSERT.001', 'assertion encoding', 'base64url without padding', `${why} in ${shownToken}`, caseId));
    return { failures, judged };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    failures.push(fail('AGENT.ASSERT.001', 'assertion payload', 'a JSON object', `undecodable JSON in ${shownToken}`, caseId));
    return { failures, judged };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    failures.push(fail('AGENT.ASSERT.001', 'assertion payload', 'a JSON object', `JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}`, caseId));
    return { failures, judged };
  }

  judged.push('AGENT.ASSERT.002');
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.join(',') !== ASSERTION_KEYS.join(',')) {
    failures.push(fail('AGENT.ASSERT.002', 'assertion keys', `[${ASSERTION_KEYS.join(', ')}] in this order`, `[${keys.join(', ')}]`, caseId));
  }
  const field = (k: string): string | undefined => (typeof record[k] === 'string' ? (record[k] as string) : undefined);
  const nonString = ASSERTION_KEYS.filter((k) => k in record && field(k) === undefined);
  if (nonString.length > 0) {
    failures.push(fail('AGENT.ASSERT.002', 'assertion value types', 'string values', `non-string ${nonString.join(', ')}`, caseId));
  }
  const agentRuntimeId = field('agent_runtime_id');
  const taskId = field('task_id');
  const timestamp = field('timestamp');
  const signature = field('signature');
  if (agentRuntimeId === undefined || taskId === undefined || timestamp === undefined || signature === undefined) {
    return { failures, judged };
  }
  const decoded: DecodedAssertion = { agentRuntimeId, taskId, timestamp, signature };

  judged.push('AGENT.ASSERT.004');
  if (!isRfc3339SecondsZ(timestamp)) {
    failures.push(fail('AGENT.ASSERT.004', 'assertion timestamp', 'RFC 3339 UTC seconds with Z (YYYY-MM-DDTHH:MM:SSZ)', JSON.stringify(timestamp), caseId));
  }

  if (want.agentRuntimeId !== undefined) {
    judged.push('AGENT.ASSERT.006');
    if (agentRuntimeId !== want.agentRuntimeId) {
      failures.push(fail('AGENT.ASSERT.006', 'assertion runtime id', JSON.stringify(want.agentRuntimeId), JSON.stringify(agentRuntimeId), caseId));
    }
  }

  if (!BASE64_STD.test(signature) || signature.length === 0) {
    judged.push('AGENT.ASSERT.003');
    failures.push(fail('AGENT.ASSERT.003', 'assertion signature encoding', 'standard base64 (with padding) of 64 bytes', `not standard base64: ${fingerprint(signature)}`, caseId));
  } else if (want.publicKey !== undefined) {
    judged.push('AGENT.ASSERT.003');
    const sig = Buffer.from(signature, 'base64');
    const signed = `${agentRuntimeId}:${taskId}:${timestamp}`;
    if (!ed25519Verifies(want.publicKey, signed, sig)) {
      failures.push(fail('AGENT.ASSERT.003', 'assertion signature', 'Ed25519 by the identity key over "{agent_runtime_id}:{task_id}:{timestamp}"', `a signature that does not verify (${sig.length} bytes, ${fingerprint(signature)})`, caseId));
    }
  }

  if (want.taskIdsIssued !== undefined) {
    judged.push('AGENT.ASSERT.005');
    const issued = want.taskIdsIssued.get(agentRuntimeId) ?? [];
    if (!issued.includes(taskId)) {
      const otherRuntime = [...want.taskIdsIssued].find(([rt, ids]) => rt !== agentRuntimeId && ids.includes(taskId));
      const actual = otherRuntime ? `a task issued to runtime ${JSON.stringify(otherRuntime[0])}` : `task ${JSON.stringify(taskId)}, never issued`;
      failures.push(fail('AGENT.ASSERT.005', 'assertion task binding', `a task id issued to runtime ${JSON.stringify(agentRuntimeId)}`, actual, caseId));
    }
  }
  return { decoded, failures, judged };
}

export function isRfc3339SecondsZ(value: string): boolean {
  const m = RFC3339_SECONDS_Z.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}
