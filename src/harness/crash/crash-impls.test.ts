import { describe, expect, it } from 'vitest';
import { ConformanceInputError } from '../../errors.js';
import { authJsonWriters, crashImplLabel, DEFAULT_CRASH_IMPLS, parseCrashImpls } from './crash-impls.js';

describe('crash-safety --impl', () => {
  it('the default kills Codex 0.156.0 and 0.171.0 and both clients that write auth.json', () => {
    expect(parseCrashImpls(DEFAULT_CRASH_IMPLS).map(crashImplLabel)).toEqual(['codex-cli:0.156.0', 'codex-cli:0.171.0', 'ecosystem:codex-as-api@0.7.0', 'ecosystem:openai-oauth@2.0.0']);
  });

  it('"ecosystem" alone means every client whose package writes CODEX_HOME/auth.json', () => {
    expect(authJsonWriters().map((c) => c.id)).toEqual(['codex-as-api', 'openai-oauth']);
    expect(parseCrashImpls('ecosystem').map(crashImplLabel)).toEqual(['ecosystem:codex-as-api@0.7.0', 'ecosystem:openai-oauth@2.0.0']);
  });

  it('a client whose caller holds the tokens has no write point: exit-2 input error with a Fix line', () => {
    for (const id of ['pi-ai', 'opencode-openai-codex-auth']) {
      const e = (() => {
        try {
          parseCrashImpls(`ecosystem:${id}`);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(ConformanceInputError);
      expect((e as Error).message).toMatch(/never writes auth\.json .* Fix: Use ecosystem:codex-as-api, ecosystem:openai-oauth/);
    }
  });

  it('an unknown writer or client is bad input', () => {
    expect(() => parseCrashImpls('codex-cli:latest')).toThrow(/not a writer this command can kill\. Fix:/);
    expect(() => parseCrashImpls('ecosystem:nope')).toThrow(/names no ecosystem client\. Fix:/);
    expect(() => parseCrashImpls(' , ')).toThrow(/names no writer/);
  });
});
