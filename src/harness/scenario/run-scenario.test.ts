import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../../mocks/faults.js';
import { MockBackend } from '../../../mocks/state/mock-backend.js';
import { fingerprint } from '../../redact/fingerprint.js';
import { tempDir } from '../../testing/temp-dirs.js';
import { authJsonLeftBy } from './recording.js';
import { loadScenarioFamily, loadScenarioFile } from './load-scenario.js';
import { decodeJwt } from 'jose';
import { runScenario, type ActorRunner, type ScenarioMock } from './run-scenario.js';
import { waitFor } from './wait-step.js';

/**
 * The runner without a binary: a fake actor runner records what each actor saw in its home's
 * auth.json; the mock is a real MockBackend (state, refresh-token records, clock).
 */
const testdata = (name: string) => loadScenarioFile(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)));

let dir: string;
let backend: MockBackend;
beforeAll(async () => {
  dir = await tempDir('run-scenario-');
  backend = await MockBackend.create({ seed: 5 });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

function mockOf(faults: Fault[][]): ScenarioMock {
  return { backend, caseId: 'case-1', entries: () => [], modelRequestSeqs: () => [], setFaults: (f) => faults.push([...f]) };
}

describe('scenario runner (src/harness/scenario/run-scenario.ts)', () => {
  it('plays auth.json rewrites, the clock and faults between an app-server\'s steps, and records the auth.json each actor left', async () => {
    const seen: Array<{ kind: string; account: string | null; refresh: string | null }> = [];
    const actors: ActorRunner<undefined> = {
      async perform(step, _actor, home) {
        const text = await readFile(home.authPath, 'utf8');
        const tokens = (JSON.parse(text) as { tokens: { account_id: string | null; refresh_token: string } }).tokens;
        seen.push({ kind: step.kind, account: tokens.account_id, refresh: tokens.refresh_token });
        return { outcome: { completed: true, description: step.kind, durationMs: 0 } };
      },
      async dispose() {},
    };
    const faults: Fault[][] = [];
    const before = backend.now();
    const play = await runScenario({ scenario: testdata('app-server-rotation.json'), mock: mockOf(faults), workDir: `${dir}/rotation`, actors });
    const a = play.seeded.accounts.get('a')!;
    const b = play.seeded.accounts.get('b')!;
    // Turn 1 sees A's first tokens; after the rotation A's next generation (the old refresh token is spent); then B's login.
    const [, turn1, turn2, turn3] = seen;
    expect([turn1?.account, turn2?.account, turn3?.account]).toEqual([a.id, a.id, b.id]);
    expect(turn2?.refresh).not.toBe(turn1?.refresh);
    expect(backend.refreshTokens.get(turn1!.refresh!)?.state).toBe('used');
    expect(backend.refreshTokens.get(turn2!.refresh!)?.state).toBe('active');
    expect(backend.now() - before).toBeGreaterThanOrEqual(3600 * 1000);
    expect(faults.at(-1)).toEqual([{ kind: 'unauthorizedOnce', path: '/responses', caseId: 'case-1' }]);
    // Every step is recorded; the last snapshot each actor left is B's login, fingerprinted.
    expect(play.steps.map((s) => s.kind)).toEqual(['start', 'appServerTurn', 'writeAuthJson', 'advanceClock', 'appServerTurn', 'setFault', 'writeAuthJson', 'appServerTurn', 'snapshotAuthJson', 'stop']);
    const left = authJsonLeftBy(play).get('ide');
    expect(left).toMatchObject({ present: true, mode: '600', accountId: b.id, tokens: { refreshToken: fingerprint(turn3!.refresh!) } });
    expect(JSON.stringify(play.authJson)).not.toContain(turn3!.refresh!);
  });

  it('a concurrently group starts its steps together, on one CODEX_HOME', async () => {
    let running = 0;
    let overlapped = false;
    const homes = new Set<string>();
    const actors: ActorRunner<undefined> = {
      async perform(_step, _actor, home) {
        homes.add(home.dir);
        running += 1;
        await new Promise((r) => setTimeout(r, 20));
        overlapped ||= running === 2;
        running -= 1;
        return { outcome: { completed: true, description: 'exec', durationMs: 20 } };
      },
      async dispose() {},
    };
    const play = await runScenario({ scenario: testdata('two-execs-refresh-window.json'), mock: mockOf([]), workDir: `${dir}/race`, actors });
    expect(overlapped).toBe(true);
    expect(homes.size).toBe(1);
    expect(play.steps.map((s) => [s.index, s.actor, s.group])).toEqual([[1, 'codexA', 1], [2, 'codexB', 1]]);
  });

  it('a coexistence scenario: OPENAI_API_KEY beside the tokens, and revokeAccessToken scope login refuses the tokens an actor\'s refresh minted too', async () => {
    const scenario = loadScenarioFamily('coexistence').find((x) => x.id === 'codex-as-api-clientFirst')!;
    let minted: string | undefined;
    let keyOnDisk: unknown;
    const actors: ActorRunner<undefined> = {
      async perform(step, actor, home, ctx) {
        if (step.kind === 'invoke') {
          // The client's refresh, as the mock would mint it: the next generation of the same login family.
          const c = ctx.seeded.credentials.get('tokens')!;
          const family = c.kind === 'chatgptTokens' ? backend.refreshTokens.get(c.refreshToken)!.lineage.family : '';
          minted = (await backend.issueChatgptTokens(c.kind === 'chatgptTokens' ? c.account.id : '', { family })).accessToken;
        }
        if (actor.kind === 'codexExec') keyOnDisk = (JSON.parse(await readFile(home.authPath, 'utf8')) as { OPENAI_API_KEY: unknown }).OPENAI_API_KEY;
        return { outcome: { completed: true, description: step.kind, durationMs: 0 } };
      },
      async dispose() {},
    };
    const play = await runScenario({ scenario, mock: mockOf([]), workDir: `${dir}/coexist`, actors });
    const apiKey = play.seeded.credentials.get('apiKey')!;
    expect(keyOnDisk).toBe(apiKey.kind === 'apiKey' ? apiKey.apiKey : 'no key');
    expect(play.authJson[0]).toMatchObject({ home: 'codex', apiKey: fingerprint(keyOnDisk as string) });
    const jti = decodeJwt(minted!).jti as string;
    expect(backend.accessTokens.get(jti)?.revoked).toBe(true);
    expect(play.steps.map((x) => x.kind)).toEqual(['start', 'invoke', 'introspect', 'stop', 'revokeAccessToken', 'exec', 'snapshotAuthJson']);
  });
});

describe('wait step with untilRequests', () => {
  it('returns as soon as the journal holds the requests, else after ms', async () => {
    let n = 0;
    const t0 = Date.now();
    setTimeout(() => (n = 2), 30);
    await waitFor({ ms: 5000, untilRequests: 2 }, () => n);
    const early = Date.now() - t0;
    expect(early).toBeLessThan(2000);
    expect(n).toBe(2);
    const t1 = Date.now();
    await waitFor({ ms: 120, untilRequests: 1 }, () => 0);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(110);
    const t2 = Date.now();
    await waitFor({ ms: 80 }, () => 99);
    expect(Date.now() - t2).toBeGreaterThanOrEqual(70);
  });
});
