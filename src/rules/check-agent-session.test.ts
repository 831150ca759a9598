import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkIdentityAccepted, checkIdentityRefused, checkRegistrationBody } from './check-agent-session.js';
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
});
