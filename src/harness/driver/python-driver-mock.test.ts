import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpMock, type HttpMock } from '../../../mocks/http-bridge.js';
import { driverImplementation } from './driver-implementation.js';
import { tempDir } from '../../testing/temp-dirs.js';

/** The Python driver against the project's mock backend on a real loopback port. */
const DRIVER = fileURLToPath(new URL('../../../examples/drivers/python/codex_auth_driver.py', import.meta.url));
const OPTS = { timeoutMs: 15_000, maxRestarts: 1, validate: true } as const;

let mock: HttpMock;
let home: string;
beforeAll(async () => {
  mock = await startHttpMock({ host: '127.0.0.1', port: 0 });
  home = await tempDir('py-mock-');
});
afterAll(async () => {
  await mock.close();
  await rm(home, { recursive: true, force: true });
});

describe('python driver against the mock backend (mocks/http-bridge.ts)', () => {
  it('HDR.FEDRAMP.001 ChatGPT tokens issued by the mock are accepted with account and FedRAMP headers', async () => {
    const account = mock.backend.createAccount({ plan: 'team', fedramp: true });
    const tokens = await mock.backend.issueChatgptTokens(account.id);
    const authJson = {
      OPENAI_API_KEY: null,
      tokens: { id_token: tokens.idToken, access_token: tokens.accessToken, refresh_token: tokens.refreshToken, account_id: tokens.accountId },
      last_refresh: new Date().toISOString(),
    };
    const session = await driverImplementation(['python3', DRIVER], OPTS).start();
    try {
      await session.configure({ caseId: 'py-chatgpt', home, files: { 'auth.json': JSON.stringify(authJson) }, env: {}, config: { chatgptBaseUrl: mock.baseUrls.chatgpt } });
      const outcome = await session.invoke('cloud-tasks.list');
      expect(outcome).toMatchObject({ kind: 'sent', status: 200 });
      const entry = mock.journal.list().at(-1);
      expect(entry?.headers).toMatchObject({ 'chatgpt-account-id': account.id, 'x-openai-fedramp': 'true' });
      expect(entry?.verdict.status).toBe(200);
    } finally {
      await session.stop();
    }
  });

  it.each([false, true])('HDR.AGENT.001 an agent identity minted by the mock works end to end (encrypted task ids: %s)', async (encryptTaskIds) => {
    const account = mock.backend.createAccount({ plan: 'business' });
    const identity = await mock.backend.createAgentIdentity(account.id, { encryptTaskIds });
    const session = await driverImplementation(['python3', DRIVER], OPTS).start();
    try {
      await session.configure({ caseId: `py-agent-${encryptTaskIds}`, home, files: {}, env: { CODEX_ACCESS_TOKEN: identity.jwt, CODEX_AGENT_IDENTITY_JWKS_BASE_URL: mock.baseUrls.chatgpt, CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: mock.baseUrls.chatgpt }, config: { chatgptBaseUrl: mock.baseUrls.chatgpt } });
      expect(await session.invoke('cloud-tasks.list')).toMatchObject({ kind: 'sent', status: 200 });
      const entry = mock.journal.list().at(-1);
      expect(entry?.credential).toMatchObject({ kind: 'agentAssertion', signatureValid: true, taskIssuedToRuntime: true, agentRuntimeId: identity.runtimeId });
    } finally {
      await session.stop();
    }
  });
});
