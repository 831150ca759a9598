import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ObservedRequest } from '../src/rules/observed-request.js';
import { startHttpMock, type HttpMock } from './http-bridge.js';
import { startInProcessMock, type InProcessMock } from './in-process.js';
import { CODEX_CLIENT_ID } from './state/token-claims.js';

/**
 * Refresh-token lineage on both adapters: a login is a family at generation 0, each redemption
 * mints the next generation, a reuse is journaled with the redemption that spent the token, and
 * the fault `revokeFamilyOnReuse` revokes the whole family. The NDJSON stays redacted.
 */
let inProcess: InProcessMock;
let port: HttpMock;
beforeAll(async () => {
  [inProcess, port] = await Promise.all([startInProcessMock({ seed: 4 }), startHttpMock({ seed: 4 })]);
});
afterAll(async () => {
  inProcess.close();
  await port.close();
});
beforeEach(() => {
  inProcess.reset();
  port.reset();
});

interface Target {
  readonly name: string;
  tokenUrl(): string;
  usageUrl(): string;
  mock(): InProcessMock | HttpMock;
  faultRevokeFamily(): Promise<void>;
}

const targets: Target[] = [
  {
    name: 'in process (msw)',
    tokenUrl: () => 'https://auth.openai.com/oauth/token',
    usageUrl: () => 'https://chatgpt.com/backend-api/wham/usage',
    mock: () => inProcess,
    faultRevokeFamily: async () => inProcess.useFaults({ kind: 'revokeFamilyOnReuse' }),
  },
  {
    name: 'node:http port (control plane)',
    tokenUrl: () => `${port.origin}/oauth/token`,
    usageUrl: () => `${port.baseUrls.chatgpt}/wham/usage`,
    mock: () => port,
    faultRevokeFamily: async () => {
      const res = await fetch(`${port.origin}/__control/faults`, { method: 'POST', body: JSON.stringify({ faults: [{ kind: 'revokeFamilyOnReuse' }] }) });
      expect(res.status).toBe(200);
    },
  },
];

async function redeem(t: Target, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(t.tokenUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: CODEX_CLIENT_ID, grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const tokenEntries = (t: Target): ObservedRequest[] => t.mock().journal.list().filter((e) => e.refresh !== undefined);

describe.each(targets)('refresh-token lineage, $name', (t) => {
  it('a login is generation 0 of a new family; each redemption mints the next generation', async () => {
    const backend = t.mock().backend;
    const account = backend.createAccount({ plan: 'plus' });
    const login = await backend.issueChatgptTokens(account.id);
    const first = await redeem(t, login.refreshToken);
    expect(first.status).toBe(200);
    const second = await redeem(t, first.body['refresh_token'] as string);
    expect(second.status).toBe(200);
    const [a, b] = tokenEntries(t);
    expect(a?.refresh).toMatchObject({ family: 'family-1', generation: 0, accountId: account.id, outcome: 'rotated', minted: { generation: 1 } });
    expect(b?.refresh).toMatchObject({ family: 'family-1', generation: 1, outcome: 'rotated', minted: { generation: 2 } });
    const usage = await fetch(t.usageUrl(), { headers: { authorization: `Bearer ${second.body['access_token'] as string}`, 'chatgpt-account-id': account.id } });
    expect(usage.status).toBe(200);
    const last = t.mock().journal.list().at(-1)!;
    expect(last.credential.kind === 'bearer' ? last.credential.issued?.lineage : undefined).toEqual({ family: 'family-1', generation: 2, accountId: account.id });
    expect(backend.issuedLineage().map((l) => l.generation)).toEqual([0, 1, 2]);
  });

  it('a reuse is 401 refresh_token_reused, names the redemption that spent it, and leaves the family usable (production default)', async () => {
    const backend = t.mock().backend;
    const account = backend.createAccount({ plan: 'plus' });
    const login = await backend.issueChatgptTokens(account.id);
    const rotated = await redeem(t, login.refreshToken);
    const reused = await redeem(t, login.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ error: { code: 'refresh_token_reused' } });
    const [spend, reuse] = tokenEntries(t);
    expect(reuse?.refresh).toMatchObject({ generation: 0, outcome: 'reused', spentBy: { generation: 1, seq: spend?.seq } });
    expect(reuse?.refresh?.familyRevoked).toBeUndefined();
    expect((await redeem(t, rotated.body['refresh_token'] as string)).status).toBe(200);
  });

  it('fault revokeFamilyOnReuse revokes every token of the family on a reuse', async () => {
    const backend = t.mock().backend;
    const account = backend.createAccount({ plan: 'plus' });
    const login = await backend.issueChatgptTokens(account.id);
    const rotated = await redeem(t, login.refreshToken);
    await t.faultRevokeFamily();
    expect((await redeem(t, login.refreshToken)).status).toBe(401);
    const next = await redeem(t, rotated.body['refresh_token'] as string);
    expect(next.body).toMatchObject({ error: { code: 'refresh_token_invalidated' } });
    const usage = await fetch(t.usageUrl(), { headers: { authorization: `Bearer ${rotated.body['access_token'] as string}`, 'chatgpt-account-id': account.id } });
    expect(usage.status).toBe(401);
    expect(tokenEntries(t).map((e) => [e.refresh?.outcome, e.refresh?.familyRevoked === true])).toEqual([['rotated', false], ['reused', true], ['revoked', false]]);
  });

  it('the NDJSON journal carries lineage and fingerprints, never a token', async () => {
    const backend = t.mock().backend;
    const account = backend.createAccount({ plan: 'plus' });
    const login = await backend.issueChatgptTokens(account.id);
    const rotated = await redeem(t, login.refreshToken);
    const ndjson = t.mock().journal.toNdjson();
    expect(ndjson).toContain('"family":"family-1"');
    expect(ndjson).toMatch(/"refreshFingerprint":"fp:[0-9a-f]{12}"/);
    for (const secret of [login.refreshToken, login.accessToken, rotated.body['refresh_token'] as string, rotated.body['access_token'] as string]) expect(ndjson).not.toContain(secret);
  });
});

describe('lineage over the control plane', () => {
  it('GET /__control/lineage lists every minted pair by fingerprint', async () => {
    const account = port.backend.createAccount({ plan: 'plus' });
    const login = await port.backend.issueChatgptTokens(account.id);
    const res = await fetch(`${port.origin}/__control/lineage`);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual([expect.objectContaining({ family: 'family-1', generation: 0, accountId: account.id, refreshFingerprint: expect.stringMatching(/^fp:/) })]);
    expect(text).not.toContain(login.refreshToken);
  });
});
