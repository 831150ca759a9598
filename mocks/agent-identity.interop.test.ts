import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentAssertion, rfc3339Seconds } from '../src/auth/agent-identity/agent-assertion.js';
import { jwksFetcher, verifyAgentIdentityJwt } from '../src/auth/agent-identity/identity-jwt.js';
import { registerAgentTask } from '../src/auth/agent-identity/task-registration.js';
import { startHttpMock, type HttpMock } from './http-bridge.js';

/**
 * Interop: the reference client (src/auth/agent-identity/) against the mock backend on a real
 * port. The mock shares no code with it, so agreement here checks both sides of the wire format
 * (JWKS + RS256 identity JWT, task registration signature, sealed task id, AgentAssertion).
 */
let mock: HttpMock;
beforeAll(async () => {
  mock = await startHttpMock({ seed: 4 });
});
afterAll(async () => mock.close());

describe.each([false, true])('agent identity interop (encrypted task id: %s)', (encryptTaskIds) => {
  it('verifies the identity JWT against the mock JWKS, registers a task and passes AgentAssertion verification', async () => {
    const account = mock.backend.createAccount({ plan: 'enterprise', fedramp: true });
    const identity = await mock.backend.createAgentIdentity(account.id, { encryptTaskIds });
    const claims = await verifyAgentIdentityJwt(identity.jwt, {
      jwks: jwksFetcher(`${mock.baseUrls.chatgpt}/wham/agent-identities/jwks`, fetch),
    });
    expect(claims).toMatchObject({ agentRuntimeId: identity.runtimeId, accountId: account.id, isFedramp: true });
    const taskId = await registerAgentTask({ authapiBaseUrl: mock.baseUrls.chatgpt, claims, fetch, now: new Date() });
    expect(mock.backend.tasks.get(taskId)?.runtimeId).toBe(identity.runtimeId);
    const res = await fetch(`${mock.baseUrls.chatgpt}/wham/tasks/list`, {
      headers: {
        authorization: buildAgentAssertion({ claims, taskId, timestamp: rfc3339Seconds(new Date()) }),
        'chatgpt-account-id': account.id,
        'x-openai-fedramp': 'true',
      },
    });
    expect(res.status).toBe(200);
    expect(mock.journal.list().at(-1)?.credential).toMatchObject({ kind: 'agentAssertion', signatureValid: true, taskIssuedToRuntime: true });
  });
});
