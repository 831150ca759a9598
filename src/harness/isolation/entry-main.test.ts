import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { entryFailure } from './entry-main.js';

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
});
