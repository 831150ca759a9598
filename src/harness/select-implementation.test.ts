import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MUTANT_NAMES } from '../../scenarios/mutants/index.js';
import { ConformanceInputError } from '../errors.js';
import { isInProcessImplementation, parseImplArg, quoteShellWord, selectImplementation, shellWords } from './select-implementation.js';

describe('shellWords', () => {
  it('splits on whitespace and keeps quoted spaces', () => {
    expect(shellWords(`python3  "my driver.py" --flag 'a b' c\\ d`)).toEqual(['python3', 'my driver.py', '--flag', 'a b', 'c d']);
  });

  it('handles escapes inside double quotes and adjacent quoted parts', () => {
    expect(shellWords(`"a\\"b" 'x'"y"z ""`)).toEqual(['a"b', 'xyz', '']);
  });

  it('does no expansion', () => {
    expect(shellWords('echo $HOME ~ *.ts')).toEqual(['echo', '$HOME', '~', '*.ts']);
  });

  it.each([`'open`, `"open`, `trailing\\`])('refuses an unterminated %s with a USAGE error', (line) => {
    expect(() => shellWords(line)).toThrow(expect.objectContaining({ code: 'USAGE' }) as unknown as Error);
  });

  it('gives back any list of words it was given quoted (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }), (words) => {
        expect(shellWords(words.map(quoteShellWord).join(' '))).toEqual(words);
      }),
    );
  });

  it('never crashes on arbitrary input: words or a typed error (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (line) => {
        try {
          expect(Array.isArray(shellWords(line))).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ConformanceInputError);
        }
      }),
    );
  });
});

describe('parseImplArg', () => {
  it('reads every kind', () => {
    expect(parseImplArg('reference')).toEqual({ kind: 'reference' });
    expect(parseImplArg('mutant:account-id-dropped')).toEqual({ kind: 'mutant', name: 'account-id-dropped' });
    expect(parseImplArg('driver:python3 "d r.py"')).toEqual({ kind: 'driver', command: ['python3', 'd r.py'] });
    expect(parseImplArg('codex-cli')).toEqual({ kind: 'codexCli' });
    expect(parseImplArg('codex-cli:0.171.0')).toEqual({ kind: 'codexCli', version: '0.171.0' });
  });

  it.each(['', 'ref', 'mutant:', 'driver:', 'driver:   ', 'codex-cli:latest; rm -rf /'])('refuses %j with a USAGE error that lists the forms', (arg) => {
    expect(() => parseImplArg(arg)).toThrow(ConformanceInputError);
  });

  it('says which implementations run in process', () => {
    expect(isInProcessImplementation('reference')).toBe(true);
    expect(isInProcessImplementation('mutant:account-id-dropped')).toBe(true);
    expect(isInProcessImplementation('driver:python3 x.py')).toBe(false);
    expect(isInProcessImplementation('codex-cli')).toBe(false);
  });
});

describe('selectImplementation', () => {
  it('builds the reference', async () => {
    const impl = await selectImplementation('reference');
    expect(impl.name).toBe('reference');
    expect(impl.capabilities.authModes).toContain('agentIdentity');
  });

  it('builds every mutant under its mutant: name', async () => {
    for (const name of MUTANT_NAMES) {
      const impl = await selectImplementation(`mutant:${name}`);
      expect(impl.name).toBe(`mutant:${name}`);
    }
  });

  it('refuses an unknown mutant with a USAGE error listing the names', async () => {
    const error = await selectImplementation('mutant:no-such-bug').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConformanceInputError);
    expect((error as ConformanceInputError).code).toBe('USAGE');
    expect((error as Error).message).toContain(MUTANT_NAMES[0]);
  });

  it('probes a driver once so its own name and capabilities are known before any case', async () => {
    const impl = await selectImplementation('driver:python3 "examples/drivers/python/codex_auth_driver.py"');
    expect(impl.name).toBe('codex-auth-python');
    expect(impl.capabilities.authModes).toContain('agentIdentity');
    expect(impl.capabilities.callsites.length).toBeGreaterThan(0);
  });

  it('says codex-cli is not available while the adapter is missing, or builds it once it exists', async () => {
    const result = await selectImplementation('codex-cli').then(
      (impl) => ({ ok: true as const, impl }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    if (result.ok) expect(typeof result.impl.start).toBe('function');
    else expect((result.e as Error).message).toMatch(/not available yet/);
  });
});
