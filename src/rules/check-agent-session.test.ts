import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkIdentityAccepted, checkIdentityRefused, checkRegistrationAnswers, checkRegistrationBody, checkRegistrationRetried } from './check-agent-session.js';
import { agentKeys, observed } from './test-fixtures.js';

const keys = agentKeys();
const ts = '2025-03-04T05:06:07Z';
const sig = (msg: string) => sign(null, Buffer.from(msg), keys.privateKey).toString('base64');
const want = { agentRuntimeId: 'rt-1', publicKey: keys.publicKey };

describe('agent session checks', () => {
  it('AGENT.TASK.002 passes {timestamp, signature} signed over "{runtime}:{timestamp}"', () => {
    expect(checkRegistrationBody('POST', { timestamp: ts, signature: sig(`rt-1:${ts}`) }, want).verdict).toBe('pass');
  });

  it('AGENT.TASK.002 fails a wrong message, base64url, extra keys, bad timestamps and GET', () => {
    expect(checkRegistrationBody('POST', { timestamp: ts, signature: sig(`rt-1:task:${ts}`) }, want).verdict).toBe('fail');
    expect(checkRegistrationBody('POST', { timestamp: ts, signature: sig(`rt-1:${ts}`).replace(/=+$/, '') }, want).verdict).toBe('fail');
    expect(checkRegistrationBody('POST', { timestamp: ts, signature: sig(`rt-1:${ts}`), agent_runtime_id: 'rt-1' }, want).verdict).toBe('fail');
    expect(checkRegistrationBody('POST', { timestamp: '2025-03-04T05:06:07.000Z', signature: sig('rt-1:2025-03-04T05:06:07.000Z') }, want).verdict).toBe('fail');
    expect(checkRegistrationBody('GET', { timestamp: ts, signature: sig(`rt-1:${ts}`) }, want).verdict).toBe('fail');
    expect(checkRegistrationBody('POST', 'x', want).verdict).toBe('fail');
  });

  it('AGENT.JWT.001 passes silence and fails a registration or assertion made with a bad JWT', () => {
    expect(checkIdentityRefused([observed({ url: 'http://127.0.0.1:4010/backend-api/wham/agent-identities/jwks' })], 'wrong-issuer').verdict).toBe('pass');
    expect(checkIdentityRefused([observed({ method: 'POST', url: 'http://127.0.0.1:4010/backend-api/v1/agent/rt-1/task/register' })], 'unknown-kid').verdict).toBe('fail');
    expect(checkIdentityRefused([observed({ url: 'http://127.0.0.1:4010/backend-api/wham/usage', headers: { authorization: 'AgentAssertion abc' } })], 'HS256').verdict).toBe('fail');
  });

  it('AGENT.JWT.003 passes an identity used (registration or AgentAssertion) and fails one refused or never used', () => {
    const jwks = observed({ url: 'http://127.0.0.1:4010/backend-api/wham/agent-identities/jwks' });
    expect(checkIdentityAccepted([jwks, observed({ url: 'http://127.0.0.1:4010/backend-api/wham/usage', headers: { authorization: 'AgentAssertion abc' } })], 'expWithinLeeway').verdict).toBe('pass');
    const refused = checkIdentityAccepted([jwks], 'expWithinLeeway');
    expect(refused.verdict).toBe('fail');
    expect(refused.actual).toMatch(/refused/);
    expect(checkIdentityAccepted([jwks, observed({ method: 'POST', url: 'http://127.0.0.1:4010/api/accounts/v1/agent/rt-1/task/register' })], 'kidNotFirst').verdict).toBe('pass');
    expect(checkIdentityAccepted([jwks, observed({ url: 'http://127.0.0.1:4010/backend-api/wham/usage', headers: { authorization: 'Bearer x' } })], 'extraClaims').actual).toMatch(/none with an AgentAssertion/);
  });

  const REG = 'http://127.0.0.1:4010/api/accounts/v1/agent/rt-1/task/register';
  const USAGE = 'http://127.0.0.1:4010/backend-api/wham/usage';
  const reg = (seq: number, status = 200) => observed({ seq, method: 'POST', url: REG, verdict: { status, handled: true } });
  const assertion = (seq: number, taskIssuedToRuntime: boolean) =>
    observed({ seq, url: USAGE, headers: { authorization: 'AgentAssertion abc' }, credential: { kind: 'agentAssertion', agentRuntimeId: 'rt-1', taskId: 't', signatureValid: true, taskIssuedToRuntime } });
  const verdicts = (rs: readonly { verdict: string }[]) => rs.map((r) => r.verdict);

  it('AGENT.TASK.006 a readable answer: passes the call going on with the issued task, fails the decoy task or a call that stops', () => {
    const readable = { name: 'taskIdBesideDecoyCamel', readable: true };
    expect(verdicts(checkRegistrationAnswers([reg(1), assertion(2, true)], readable, [0]))).toEqual(['pass']);
    expect(verdicts(checkRegistrationAnswers([reg(1), assertion(2, false)], readable, [0]))).toEqual(['fail']);
    expect(verdicts(checkRegistrationAnswers([reg(1), observed({ seq: 2, url: USAGE })], readable, [0]))).toEqual(['pass']);
    // The call stops after the registration and the next call registers again: nothing used the task.
    expect(verdicts(checkRegistrationAnswers([reg(1), reg(3), assertion(4, true)], readable, [0, 2]))).toEqual(['fail', 'pass']);
    // A failed registration (non-2xx) is not an answer to read.
    expect(checkRegistrationAnswers([reg(1, 503)], readable, [0])).toEqual([]);
  });

  it('AGENT.TASK.006 an unreadable answer: passes a call without AgentAssertion or retry, fails either', () => {
    const unreadable = { name: 'notJson', readable: false };
    expect(verdicts(checkRegistrationAnswers([reg(1), observed({ seq: 2, url: USAGE })], unreadable, [0]))).toEqual(['pass']);
    expect(verdicts(checkRegistrationAnswers([reg(1), assertion(2, true)], unreadable, [0]))).toEqual(['fail']);
    expect(verdicts(checkRegistrationAnswers([reg(1), reg(2)], unreadable, [0]))).toEqual(['fail', 'pass']);
    // A registration in the next call is that call's own.
    expect(verdicts(checkRegistrationAnswers([reg(1), reg(3)], unreadable, [0, 2]))).toEqual(['pass', 'pass']);
  });

  it('AGENT.TASK.007 passes a retry after 429 or 5xx in the same call and fails none, within the attempts', () => {
    expect(verdicts(checkRegistrationRetried([reg(1, 503), reg(2)], [0], 3))).toEqual(['pass']);
    expect(verdicts(checkRegistrationRetried([reg(1, 500), reg(2, 429), reg(3)], [0], 3))).toEqual(['pass', 'pass']);
    expect(verdicts(checkRegistrationRetried([reg(1, 502)], [0], 3))).toEqual(['fail']);
    expect(verdicts(checkRegistrationRetried([reg(1, 429), reg(3)], [0, 2], 3))).toEqual(['fail']);
    // The third failed attempt ends the load; a 4xx is never retried (AGENT.TASK.004 judges that).
    expect(checkRegistrationRetried([reg(1, 503), reg(2, 503), reg(3, 503)], [0], 3).map((r) => r.verdict)).toEqual(['pass', 'pass']);
    expect(checkRegistrationRetried([reg(1, 403), reg(2, 404)], [0], 3)).toEqual([]);
  });
});
