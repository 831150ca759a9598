import { describe, expect, it } from 'vitest';
import { main, STATUS_ENV, STATUS_LINE_PREFIX, statusWriter } from './main.js';
import { caseProgress } from './progress.js';

function fakeStderr(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('progress (terminal only)', () => {
  it('a terminal gets a status line; a pipe or CI log gets nothing; a child run forwards it to its parent', () => {
    const tty = fakeStderr(true);
    statusWriter({}, tty.stream)!('… requests: 3/40 cases');
    expect(tty.writes).toEqual(['\r\u001b[2K… requests: 3/40 cases']);
    expect(statusWriter({}, fakeStderr(false).stream)).toBeUndefined();
    const child = fakeStderr(false);
    statusWriter({ [STATUS_ENV]: 'forward' }, child.stream)!('x');
    expect(child.writes).toEqual([`${STATUS_LINE_PREFIX}x\n`]);
  });

  it('cases done/total per suite, throttled, cleared at the end; nothing without a status line', () => {
    const lines: string[] = [];
    const p = caseProgress({ out: () => undefined, err: () => undefined, env: {}, cwd: '/', status: (t) => lines.push(t) }, 0);
    p.onCase({ suite: 'requests', done: 1, total: 3, round: 1, phase: 'search' });
    p.onCase({ suite: 'requests', done: 2, total: 3, round: 1, phase: 'shrink' });
    p.onCase({ suite: 'requests', done: 3, total: 3, round: 2, phase: 'search' });
    p.clear();
    expect(lines).toEqual(['… requests: 1/3 cases', '… requests: 3/3 cases (round 2, looking for failures of other rules)', '']);
    const none = caseProgress({ out: () => undefined, err: () => undefined, env: {}, cwd: '/' });
    expect(() => none.onCase({ suite: 's', done: 1, total: 1, round: 1, phase: 'search' })).not.toThrow();
  });

  it('a run shows progress on a terminal and keeps stdout clean', async () => {
    const status: string[] = [];
    const out: string[] = [];
    const code = await main(['run', '--rules', 'HDR.AUTH.001', '--runs', '2', '--seed', '1'], { out: (l) => out.push(l), err: () => undefined, env: {}, cwd: process.cwd(), status: (t) => status.push(t) });
    expect(code).toBe(0);
    expect(status.some((s) => /^… requests: \d+\/\d+ cases$/.test(s))).toBe(true);
    expect(status.at(-1)).toBe('');
    expect(out.join('\n')).not.toMatch(/cases$/m);
  }, 60_000);
});
