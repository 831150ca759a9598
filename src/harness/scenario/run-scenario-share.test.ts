import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../../mocks/state/mock-backend.js';
import { tempDir } from '../../testing/temp-dirs.js';
import { runScenario, type ActorRunner, type ScenarioMock } from './run-scenario.js';
import type { BlackboxScenario } from './scenario.js';

function scenario(steps: BlackboxScenario['steps']): BlackboxScenario {
  return {
    format: 'codex-auth-conformance/scenario@1',
    id: 'armed',
    family: 'shared-credential',
    title: 'armed write',
    mock: { accounts: [{ id: 'a', plan: 'plus', fedramp: false }], credentials: [{ id: 'tokensA', kind: 'chatgptTokens', account: 'a', access: { kind: 'fresh' } }] },
    homes: [{ id: 'home', login: { kind: 'credential', credential: 'tokensA' } }],
    actors: [{ id: 'exec1', kind: 'codexExec', home: 'home' }],
    steps,
    judge: { kind: 'rules', rules: ['SHARE.RELOAD.001'] },
  };
}

/** A mock whose "requests" are 401s the fake actor reports on the paths it is given. */
async function fakeMock(): Promise<ScenarioMock & { answer401(path: string): Promise<void> }> {
  const backend = await MockBackend.create({});
  const entries: Array<{ seq: number; url: string; verdict: { handled: boolean } }> = [];
  let hook: ((url: URL) => Promise<void>) | undefined;
  return {
    backend,
    caseId: 'armed',
    entries: () => entries as never,
    modelRequestSeqs: () => [],
    setFaults: () => {},
    onUnauthorized: (h) => {
      hook = h;
    },
    answer401: async (path) => {
      await hook?.(new URL(`https://chatgpt.com${path}`));
      entries.push({ seq: entries.length + 1, url: `https://chatgpt.com${path}`, verdict: { handled: true } });
    },
  };
}

function actorsFor(mock: Awaited<ReturnType<typeof fakeMock>>, paths: readonly string[]): ActorRunner<undefined> {
  return {
    perform: async () => {
      for (const p of paths) await mock.answer401(p);
      return { outcome: { completed: true, description: 'done', durationMs: 0 } };
    },
    dispose: async () => {},
  };
}

describe('scenario runner: wait and writeAuthJsonAt401', () => {
  it('SHARE.RELOAD.003 writeAuthJsonAt401 writes inside the answer to one path\'s 2nd 401 (not two paths\' 1st), and the share recording splits the step after the request that 401 answered', async () => {
    const mock = await fakeMock();
    const dir = await tempDir('run-scenario-');
    let before = '';
    const play = await runScenario({
      scenario: scenario([{ kind: 'writeAuthJsonAt401', home: 'home', write: { kind: 'rotated', credential: 'tokensA' }, at: 2 }, { kind: 'wait', ms: 5 }, { kind: 'exec', actor: 'exec1' }]),
      mock,
      workDir: dir,
      actors: actorsFor(mock, ['/models', '/plugins', '/models', '/models']),
      watchAuthJson: false,
      prepareHome: async (home, d, login, ctx) => {
        const { defaultPrepareHome } = await import('./scenario-homes.js');
        const p = await defaultPrepareHome(home, d, login, ctx);
        before = await readFile(p.authPath, 'utf8');
        return p;
      },
    });
    const after = await readFile(play.homes.get('home')!.authPath, 'utf8');
    expect(after).not.toBe(before);
    expect(play.share.problems).toEqual([]);
    expect(play.share.steps.map((s) => [s.kind, s.fromSeq, s.toSeq])).toEqual([
      ['client', 0, 3],
      ['write', 3, 3],
      ['client', 3, 4],
    ]);
    expect(play.share.issued.map((l) => l.generation)).toEqual([0, 1]);
    expect(play.steps.find((s) => s.kind === 'wait')?.outcome?.completed).toBe(true);
  });

  it('SHARE.RELOAD.003 an armed write that never fires is a problem of the play, not a silent pass', async () => {
    const mock = await fakeMock();
    const play = await runScenario({ scenario: scenario([{ kind: 'writeAuthJsonAt401', home: 'home', write: { kind: 'rotated', credential: 'tokensA' }, at: 2 }, { kind: 'exec', actor: 'exec1' }]), mock, workDir: await tempDir('run-scenario-'), actors: actorsFor(mock, ['/models']), watchAuthJson: false });
    expect(play.share.problems).toEqual(['the write armed by step 1 never fired (no request path got 2 401s)']);
    expect(play.steps[0]?.outcome?.completed).toBe(false);
  });
});
