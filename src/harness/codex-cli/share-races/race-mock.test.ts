import { afterAll, describe, expect, it } from 'vitest';
import { CODEX_CLIENT_ID } from '../../../../mocks/state/token-claims.js';
import { tempDir } from '../../../testing/temp-dirs.js';
import { RaceMock } from './race-mock.js';

describe('RaceMock (plain http, actors by path prefix)', async () => {
  const race = await RaceMock.startPlain(await tempDir('race-mock-'));
  afterAll(() => race.close());
  const redeem = (actor: string, refreshToken: string) =>
    fetch(`${race.mock.origin}/__case/${actor}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: CODEX_CLIENT_ID, grant_type: 'refresh_token', refresh_token: refreshToken }) });

  it('records which generation each token request presented and what the mock answered (rotation, then refresh_token_reused)', async () => {
    const a0 = await race.login('A');
    expect((await redeem('exec1', a0.refreshToken)).status).toBe(200);
    const again = await redeem('exec2', a0.refreshToken);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('refresh_token_reused');
    expect(race.lineage.redemptions().map((r) => [r.actor, r.presented, r.status, r.minted ?? r.code])).toEqual([
      ['exec1', 'A0', 200, 'A1'],
      ['exec2', 'A0', 401, 'refresh_token_reused'],
    ]);
    expect(race.secrets.length).toBe(6);
  });

  it('another process redeems through the same rules, and a refused generation gets 401 on model requests with the hook run first', async () => {
    const b0 = await race.login('B');
    const b1 = await race.redeemAsOther(b0.refreshToken);
    expect(b1?.label).toBe('B1');
    expect(await race.redeemAsOther(b0.refreshToken)).toBeUndefined();
    const seen: number[] = [];
    race.refuseModelRequests((label) => label === 'B0', async (n) => void seen.push(n));
    const model = await fetch(`${race.mock.origin}/__case/app/backend-api/codex/responses`, { method: 'POST', headers: { authorization: `Bearer ${b0.accessToken}`, 'chatgpt-account-id': b0.accountId, 'content-type': 'application/json' }, body: '{}' });
    expect(model.status).toBe(401);
    expect(seen).toEqual([1]);
    expect(race.modelRequests().at(-1)).toMatchObject({ actor: 'app', bearer: 'B0', account: 'B', status: 401 });
    expect(race.familyOfAccount(b0.accountId)).toBe('B');
  });

  it('refuses actor listeners on a plain mock (a misuse, not a silent fallback)', () => {
    expect(() => race.hostsFor('exec1')).toThrow(TypeError);
  });
});
