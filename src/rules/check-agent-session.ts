/**
 * Pure checks of the agent identity session that need more than one request's headers:
 * the task registration body (codex-rs/agent-identity/src/lib.rs `register_agent_task`,
 * `sign_task_registration_payload`) and the refusal of an identity JWT that fails
 * verification (`decode_agent_identity_jwt`: RS256, kid in the JWKS, iss, aud).
 */
import type { KeyObject } from 'node:crypto';
import { fingerprint } from '../redact/fingerprint.js';
import { isRfc3339SecondsZ } from './assertion-checks.js';
import { ed25519Verifies } from './ed25519-key.js';
import { endpointKind } from './endpoint-kind.js';
import type { ObservedRequest } from './observed-request.js';
import { fail, pass, type RuleResult } from './result.js';

const BASE64_STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** AGENT.TASK.002: a POST of exactly {timestamp, signature}, signature = Ed25519 over "{runtime}:{timestamp}". */
export function checkRegistrationBody(method: string, body: unknown, want: { agentRuntimeId: string; publicKey: KeyObject }, caseId?: string): RuleResult {
  const bad = (expected: string, actual: string): RuleResult => fail('AGENT.TASK.002', 'task registration', expected, actual, caseId);
  if (method !== 'POST') return bad('POST', method);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('a JSON object {timestamp, signature}', typeof body);
  const b = body as Record<string, unknown>;
  const keys = Object.keys(b).sort();
  if (keys.join(',') !== 'signature,timestamp') return bad('exactly the keys signature and timestamp', `[${keys.join(', ')}]`);
  const { timestamp, signature } = b;
  if (typeof timestamp !== 'string' || !isRfc3339SecondsZ(timestamp)) return bad('timestamp as RFC 3339 UTC seconds with Z', JSON.stringify(timestamp));
  if (typeof signature !== 'string' || signature === '' || !BASE64_STD.test(signature)) return bad('signature in standard base64', typeof signature === 'string' ? `not standard base64 (${fingerprint(signature)})` : typeof signature);
  if (!ed25519Verifies(want.publicKey, `${want.agentRuntimeId}:${timestamp}`, Buffer.from(signature, 'base64'))) {
    return bad(`an Ed25519 signature over "${want.agentRuntimeId}:{timestamp}" by the identity key`, `a signature that does not verify (${fingerprint(signature)})`);
  }
  return pass('AGENT.TASK.002', `AGENT.TASK.002 registration for ${want.agentRuntimeId} is signed over runtime and timestamp`, caseId);
}

/** AGENT.JWT.001: with an identity JWT that fails verification, no registration and no AgentAssertion request. */
export function checkIdentityRefused(observed: readonly ObservedRequest[], flaw: string, caseId?: string): RuleResult {
  const leaked = observed.filter((o) => endpointKind(o.url) === 'taskRegistration' || (o.headers['authorization'] ?? '').startsWith('AgentAssertion '));
  const first = leaked[0];
  if (first === undefined) return pass('AGENT.JWT.001', `AGENT.JWT.001 a ${flaw} identity JWT was refused before any assertion or registration`, caseId);
  return fail('AGENT.JWT.001', `a ${flaw} identity JWT`, 'refused: no task registration and no AgentAssertion request', `${leaked.length} request(s), first ${first.method} ${first.url}`, caseId);
}

/**
 * AGENT.JWT.003: with an identity JWT the source accepts (an edge of its verification, not a
 * flaw), the identity is used: its task is registered or an AgentAssertion request is sent (a
 * callsite may legitimately send no credentials, e.g. Codex Apps on an untrusted origin, but the
 * source registers the task only after verification succeeded).
 */
export function checkIdentityAccepted(observed: readonly ObservedRequest[], variant: string, caseId?: string): RuleResult {
  const used = observed.filter((o) => endpointKind(o.url) === 'taskRegistration' || (o.headers['authorization'] ?? '').startsWith('AgentAssertion '));
  if (used.length > 0) return pass('AGENT.JWT.003', `AGENT.JWT.003 a ${variant} identity JWT was accepted and used (${used.length} registration or AgentAssertion request(s))`, caseId);
  const sent = observed.filter((o) => endpointKind(o.url) !== 'jwks');
  return fail('AGENT.JWT.003', `a ${variant} identity JWT`, 'accepted: a task registration and AgentAssertion requests as for any valid identity', sent.length === 0 ? 'refused: no request after the JWKS fetch' : `${sent.length} request(s), no registration and none with an AgentAssertion (first ${sent[0]!.method} ${sent[0]!.url})`, caseId);
}

/** The call (1-based) a journal entry belongs to: how many calls began before it (each start is the last seq before the call). */
function callOf(callStarts: readonly number[], seq: number): number {
  return callStarts.filter((start) => seq > start).length;
}

function isRegistration(o: ObservedRequest): boolean {
  return o.method === 'POST' && endpointKind(o.url) === 'taskRegistration';
}

function isAssertion(o: ObservedRequest): boolean {
  return (o.headers['authorization'] ?? '').startsWith('AgentAssertion ');
}

/**
 * AGENT.TASK.006: every 2xx registration of the case got `answer` (an adversarial answer the mock
 * gives after it issued a task, mocks/handlers/registration-answer.ts). A readable answer: requests
 * follow before the next registration, and every AgentAssertion request among them carries the
 * issued task, not the decoy. An unreadable one: no
 * AgentAssertion request and no second registration follow in that call.
 */
export function checkRegistrationAnswers(observed: readonly ObservedRequest[], answer: { readonly name: string; readonly readable: boolean }, callStarts: readonly number[], caseId?: string): RuleResult[] {
  const results: RuleResult[] = [];
  const answered = observed.filter((o) => isRegistration(o) && o.verdict.status >= 200 && o.verdict.status < 300);
  for (const r of answered) {
    const call = callOf(callStarts, r.seq);
    const after = observed.filter((o) => o.seq > r.seq && callOf(callStarts, o.seq) === call);
    const what = `task registration #${r.seq} answered ${answer.name}`;
    if (answer.readable) {
      // Up to the next registration in any call: a journal entry may land after the next call began
      // (the journal is written as answers complete), and a registration that failed leaves its call
      // with nothing sent, so the next call registers again and closes the window.
      const later = observed.filter((o) => o.seq > r.seq);
      const next = later.findIndex(isRegistration);
      const until = next < 0 ? later : later.slice(0, next);
      const goesOn = until.filter((o) => endpointKind(o.url) !== 'jwks');
      const decoy = until.filter((o) => isAssertion(o) && !(o.credential.kind === 'agentAssertion' && o.credential.taskIssuedToRuntime));
      if (goesOn.length === 0) results.push(fail('AGENT.TASK.006', what, 'the task read from the answer, and the call going on with it', 'no request after the registration in this call', caseId));
      else if (decoy[0] !== undefined) results.push(fail('AGENT.TASK.006', what, 'AgentAssertion requests with the task the source reads first (task_id, taskId, encrypted_task_id, encryptedTaskId)', `#${decoy[0].seq} carries a task the backend did not issue to the runtime`, caseId));
      else results.push(pass('AGENT.TASK.006', `AGENT.TASK.006 ${what}: the task read first is the one used`, caseId));
    } else {
      const leaked = after.filter((o) => isAssertion(o) || isRegistration(o));
      results.push(
        leaked[0] === undefined
          ? pass('AGENT.TASK.006', `AGENT.TASK.006 ${what}: the registration failed, no AgentAssertion and no retry in that call`, caseId)
          : fail('AGENT.TASK.006', what, 'a failed registration: no AgentAssertion request and no retry in that call', `#${leaked[0].seq} ${isRegistration(leaked[0]) ? 'registers again' : 'sends an AgentAssertion'} in the same call`, caseId),
      );
    }
  }
  return results;
}

/**
 * AGENT.TASK.007 (codex-0.171): a registration answered 429 or 5xx is tried again in the same call
 * while the call has made fewer than `maxAttempts` attempts (`retry_registration`).
 */
export function checkRegistrationRetried(observed: readonly ObservedRequest[], callStarts: readonly number[], maxAttempts: number, caseId?: string): RuleResult[] {
  const results: RuleResult[] = [];
  const registrations = observed.filter(isRegistration);
  for (const r of registrations) {
    if (!(r.verdict.status === 429 || r.verdict.status >= 500)) continue;
    const call = callOf(callStarts, r.seq);
    const inCall = registrations.filter((o) => callOf(callStarts, o.seq) === call);
    const attempt = inCall.filter((o) => o.seq <= r.seq).length;
    if (attempt >= maxAttempts) continue;
    const retried = inCall.some((o) => o.seq > r.seq);
    results.push(
      retried
        ? pass('AGENT.TASK.007', `AGENT.TASK.007 registration #${r.seq} answered ${r.verdict.status} was tried again in the same call`, caseId)
        : fail('AGENT.TASK.007', `task registration #${r.seq} answered ${r.verdict.status} (attempt ${attempt} of ${maxAttempts})`, 'another attempt in the same call', 'no further registration in that call', caseId),
    );
  }
  return results;
}
