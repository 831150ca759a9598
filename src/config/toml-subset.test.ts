import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../errors.js';
import { renderConfigToml, tomlString } from '../harness/scenario/codex-home.js';
import { codexConfigOf } from './codex-config.js';
import { parseTomlSubset } from './toml-subset.js';

describe('TOML subset reader', () => {
  it('reads what a Codex config.toml holds', () => {
    const text = [
      '# comment',
      'chatgpt_base_url = "http://127.0.0.1:4010/backend-api/" # trailing comment',
      "openai_base_url = 'http://127.0.0.1:4010/v1'",
      'model_context_window = 1_000',
      'ratio = 0.5e1',
      'hex = 0xff',
      'on = true',
      'when = 1979-05-27T07:32:00Z',
      'list = [',
      '  "a", # first',
      '  ["b", 2],',
      ']',
      'inline = { a = 1, "b.c" = "x" }',
      'multi = """',
      'one\\',
      '   two"""',
      '',
      '[features]',
      'apps = true',
      '[profiles.work]',
      'chatgpt_base_url = "https://chatgpt.com/backend-api/"',
      'features.x = false',
      '[[mcp.servers]]',
      'name = "one"',
      '[[mcp.servers]]',
      'name = "two"',
    ].join('\n');
    expect(parseTomlSubset(text, 'config.toml')).toEqual({
      chatgpt_base_url: 'http://127.0.0.1:4010/backend-api/',
      openai_base_url: 'http://127.0.0.1:4010/v1',
      model_context_window: 1000,
      ratio: 5,
      hex: 255,
      on: true,
      when: '1979-05-27T07:32:00Z',
      list: ['a', ['b', 2]],
      inline: { a: 1, 'b.c': 'x' },
      multi: 'onetwo',
      features: { apps: true },
      profiles: { work: { chatgpt_base_url: 'https://chatgpt.com/backend-api/', features: { x: false } } },
      mcp: { servers: [{ name: 'one' }, { name: 'two' }] },
    });
  });

  it('reads back every config.toml the fixture writes (property over URLs)', () => {
    fc.assert(
      fc.property(fc.webUrl(), fc.option(fc.webUrl(), { nil: undefined }), (chatgpt, openai) => {
        const text = renderConfigToml({ chatgptBaseUrl: chatgpt, ...(openai !== undefined ? { openaiBaseUrl: openai } : {}) });
        const config = codexConfigOf(parseTomlSubset(text, 'config.toml'), 'config.toml');
        expect(config.chatgptBaseUrl).toBe(chatgpt);
        expect(config.openaiBaseUrl).toBe(openai);
      }),
      { numRuns: 200 },
    );
  });

  it('basic strings round-trip through tomlString (any text, escapes included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(parseTomlSubset(`k = ${tomlString(s)}\n`, 'x').k).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('an active profile overrides chatgpt_base_url, as Codex reads it', () => {
    const toml = parseTomlSubset('profile = "work"\nchatgpt_base_url = "http://127.0.0.1:1/backend-api/"\n[profiles.work]\nchatgpt_base_url = "http://127.0.0.1:2/backend-api/"\n', 'c');
    expect(codexConfigOf(toml, 'c')).toMatchObject({ chatgptBaseUrl: 'http://127.0.0.1:2/backend-api/', profile: 'work' });
    expect(() => codexConfigOf(parseTomlSubset('profile = "nope"\n', 'c'), 'c')).toThrow(/profile "nope" is selected but \[profiles\.nope\] is not defined/);
    expect(() => codexConfigOf(parseTomlSubset('chatgpt_base_url = 3\n', 'c'), 'c')).toThrow(/chatgpt_base_url must be a string/);
  });

  it('bad TOML is a typed BAD_CONFIG error naming the line, never echoing a value', () => {
    const cases: [string, RegExp][] = [
      ['a = "unterminated\n', /line 1: an unterminated string/],
      ['ok = 1\nb = nope\n', /line 2: a value that is not/],
      ['a = 1\na = 2\n', /line 2: key "a" is defined twice/],
      ['[t]\n[t]\n', /line 2: table \[t\] is declared twice/],
      ['a = [1, 2\n', /an unterminated array|separated by commas/],
      ['a = "\\q"\n', /unknown escape/],
      ['= 1\n', /a key is missing/],
      ['a = 1 b = 2\n', /unexpected text after a value/],
      ['token = sk-secret-value\n', /line 1: a value that is not/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseTomlSubset(text, '/home/x/config.toml');
      } catch (e) {
        error = e;
      }
      expect(isInputError(error), text).toBe(true);
      expect((error as Error).message, text).toMatch(message);
      expect((error as Error).message).toMatch(/^\/home\/x\/config\.toml line \d+/);
      expect((error as Error).message).not.toContain('sk-secret-value');
      expect((error as { code?: string }).code).toBe('BAD_CONFIG');
    }
  });

  it('never throws anything but a typed error on random input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          parseTomlSubset(text, 'x');
        } catch (e) {
          expect(isInputError(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
