import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { entryFailure, flushed } from './entry-main.js';

describe('entry-main: how a namespaced entry ends on an error', () => {
  it('bad input (ConformanceInputError) exits 2 with its message', () => {
    const f = entryFailure('codex-crash-entry', new ConformanceInputError('USAGE', 'needs --binary.', 'Start it through the script.'), { otherExit: 3 });
    expect(f.code).toBe(2);
    expect(f.line).toMatch(/^codex-crash-entry: needs --binary\./);
  });

  it('any other error exits with the entry\'s own code and its stack', () => {
    const f = entryFailure('in-netns-entry', new Error('boom'), { otherExit: 2 });
    expect(f.code).toBe(2);
    expect(entryFailure('client-crash-entry', new Error('boom'), { otherExit: 3 }).code).toBe(3);
    expect(f.line).toContain('Error: boom');
    expect(entryFailure('x', 'plain', { otherExit: 3 }).line).toBe('x: plain\n');
  });

  it('waits for the output written before it to reach the OS before exiting (a lagging pipe reader lost the done line)', async () => {
    const handed: string[] = [];
    const pending: Array<() => void> = [];
    const slow = new Writable({
      highWaterMark: 4,
      write(chunk: Buffer, _enc, cb) {
        pending.push(() => {
          handed.push(chunk.toString());
          cb();
        });
      },
    });
    slow.write('journal line\n');
    slow.write('done\n');
    let resolved = false;
    const wait = flushed(slow).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(resolved).toBe(false);
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((r) => setTimeout(r, 1));
    }
    await wait;
    expect(handed.join('')).toBe('journal line\ndone\n');
  });
});
