import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dirs.js';
import { ShareRecorder } from './share-recording.js';
import type { BlackboxScenario, Step } from './scenario.js';

const scenario = {
  actors: [
    { id: 'exec1', kind: 'codexExec', home: 'home' },
    { id: 'exec2', kind: 'codexExec', home: 'home' },
    { id: 'appServer', kind: 'codexAppServer', home: 'home' },
  ],
} as unknown as BlackboxScenario;

function journal(): { entries(): { seq: number }[]; add(n: number): void } {
  const list: { seq: number }[] = [];
  return { entries: () => list, add: (n) => { for (let i = 0; i < n; i++) list.push({ seq: list.length + 1 }); } };
}

describe('share recording of a played scenario (the SHARE checkers\' steps)', () => {
  it('SHARE.RACE.001 a concurrently group is one client step with every actor, its journal span and auth.json before and after', async () => {
    const dir = await tempDir('share-rec-');
    const home = { id: 'home', authPath: join(dir, 'auth.json') };
    await writeFile(home.authPath, '{"v":0}', { mode: 0o600 });
    const j = journal();
    const r = new ShareRecorder(j, scenario);
    j.add(2);
    const step: Step = { kind: 'concurrently', steps: [{ kind: 'exec', actor: 'exec1' }, { kind: 'exec', actor: 'exec2' }] };
    await r.around(step, home, async () => {
      j.add(3);
      await writeFile(home.authPath, '{"v":1}');
    });
    await r.around({ kind: 'snapshotAuthJson', home: 'home', label: 'x' }, home, async () => {});
    const [s, ...rest] = r.recording([]).steps;
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ kind: 'client', actors: ['exec1', 'exec2'], fromSeq: 2, toSeq: 5, before: { text: '{"v":0}', mode: 0o600 }, after: { text: '{"v":1}' } });
    expect(s?.oneAuthManager).toBeUndefined();
  });

  it('SHARE.RELOAD.001 a write fired inside a step (writeAuthJsonAt401) splits it: the part after is judged against what the write left', async () => {
    const dir = await tempDir('share-rec-');
    const home = { id: 'home', authPath: join(dir, 'auth.json') };
    await writeFile(home.authPath, 'A0', { mode: 0o600 });
    const j = journal();
    const r = new ShareRecorder(j, scenario);
    await r.around({ kind: 'appServerTurn', actor: 'appServer' }, home, async () => {
      j.add(2);
      await r.interrupt(home, 'rotated at 401 #2', () => writeFile(home.authPath, 'A1'));
      j.add(3);
    });
    const steps = r.recording([]).steps;
    expect(steps.map((s) => [s.kind, s.fromSeq, s.toSeq, s.before?.text, s.after?.text])).toEqual([
      ['client', 0, 2, 'A0', 'A0'],
      ['write', 2, 2, 'A0', 'A1'],
      ['client', 2, 5, 'A1', 'A1'],
    ]);
    expect(steps[0]?.oneAuthManager).toBe(true);
  });
});
