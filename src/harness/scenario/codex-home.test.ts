import { tempDir } from '../../testing/temp-dirs.js';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isInputError } from '../../errors.js';
import {
  DEFAULT_CHATGPT_BASE_URL,
  codexEnv,
  renderAuthJson,
  renderConfigToml,
  tomlString,
  writeCodexHome,
} from './codex-home.js';

const chatgpt = { mode: 'chatgpt', idToken: 'h.id.s', accessToken: 'h.at.s', refreshToken: 'rt-1', accountId: 'acc-1' } as const;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isInputError(e) ? e.code : 'not-an-input-error';
  }
  return undefined;
}

describe('renderConfigToml', () => {
  it('points at production ChatGPT by default and turns off updates, analytics and compression', () => {
    const toml = renderConfigToml();
    expect(toml).toContain(`chatgpt_base_url = "${DEFAULT_CHATGPT_BASE_URL}"\n`);
    expect(toml).not.toContain('openai_base_url');
    expect(toml).toContain('check_for_update_on_startup = false\n');
    expect(toml).toMatch(/\[analytics\]\nenabled = false\n/);
    expect(toml).toMatch(/\[features\]\nenable_request_compression = false\n/);
  });

  it('writes openai_base_url when given and compression when asked', () => {
    const toml = renderConfigToml({ openaiBaseUrl: 'http://127.0.0.1:8080/v1', requestCompression: true });
    expect(toml).toContain('openai_base_url = "http://127.0.0.1:8080/v1"\n');
    expect(toml).toContain('enable_request_compression = true\n');
  });

  it('GATE.APPS.001 set-up: turns the Apps feature on in [features] only when asked (corpus B4)', () => {
    expect(renderConfigToml({ appsFeature: true })).toMatch(/\[features\]\nenable_request_compression = false\napps = true\n/);
    expect(renderConfigToml()).not.toContain('apps = true');
  });

  it('HDR.BEARER.001 set-up: preferred_auth_method = "apikey" at the top level, before any table, only when asked (corpus B5, releases before PR #3189)', () => {
    const toml = renderConfigToml({ preferredAuthMethod: 'apikey' });
    expect(toml).toContain('preferred_auth_method = "apikey"\n');
    expect(toml.indexOf('preferred_auth_method')).toBeLessThan(toml.indexOf('['));
    expect(renderConfigToml()).not.toContain('preferred_auth_method');
  });

  it('GATE.USAGE.001 set-up: a TUI home trusts its directory and acknowledges the start-up notices, only when asked', () => {
    const toml = renderConfigToml({ trustedProjects: ['/tmp/run/home "x"'], tuiNotices: true, customModelProviderBaseUrl: 'https://codex.tenant-mock.test/v1' });
    expect(toml).toContain('[projects."/tmp/run/home \\"x\\""]\ntrust_level = "trusted"\n');
    expect(toml).toContain('[notice]\nhide_gpt5_1_migration_prompt = true\n"hide_gpt-5.1-codex-max_migration_prompt" = true\nhide_rate_limit_model_nudge = true\n');
    expect(toml).toContain('[notice.model_migrations]\n"gpt-5.2-codex" = "gpt-5.3-codex"\n');
    // Top-level keys stay above the first table (a key after a table header would belong to it).
    expect(toml.indexOf('model_provider = "conformance"')).toBeLessThan(toml.indexOf('['));
    expect(renderConfigToml()).not.toMatch(/\[projects|\[notice/);
    expect(() => renderConfigToml({ trustedProjects: ['relative'] })).toThrow(TypeError);
  });

  it.each(['not a url', 'ftp://chatgpt.com/', 'https://u:p@chatgpt.com/backend-api/'])('refuses base URL %j with BAD_URL', (url) => {
    expect(codeOf(() => renderConfigToml({ chatgptBaseUrl: url }))).toBe('BAD_URL');
  });
});

describe('tomlString', () => {
  it('round-trips any string through a JSON-compatible escape (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const quoted = tomlString(s);
        expect(quoted).not.toMatch(/[\u0000-\u001f\u007f]/);
        expect(JSON.parse(quoted)).toBe(s);
      }),
    );
  });
});

describe('renderAuthJson', () => {
  it('stores an API key with no tokens', () => {
    expect(JSON.parse(renderAuthJson({ mode: 'apiKey', apiKey: 'sk-test' })!)).toEqual({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-test', tokens: null, last_refresh: null });
  });

  it('stores ChatGPT tokens with the account id and a fresh last_refresh', () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    expect(JSON.parse(renderAuthJson(chatgpt, now)!)).toEqual({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: { id_token: 'h.id.s', access_token: 'h.at.s', refresh_token: 'rt-1', account_id: 'acc-1' },
      last_refresh: '2026-01-02T03:04:05.000Z',
    });
  });

  it('HDR.BEARER.001 set-up: stores an API key beside ChatGPT tokens with auth_mode "apikey" (corpus B5); refuses the mode without the key', () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    expect(JSON.parse(renderAuthJson({ ...chatgpt, apiKey: 'sk-test', authMode: 'apikey' }, now)!)).toEqual({
      auth_mode: 'apikey',
      OPENAI_API_KEY: 'sk-test',
      tokens: { id_token: 'h.id.s', access_token: 'h.at.s', refresh_token: 'rt-1', account_id: 'acc-1' },
      last_refresh: '2026-01-02T03:04:05.000Z',
    });
    expect(JSON.parse(renderAuthJson({ ...chatgpt, apiKey: 'sk-test' }, now)!).auth_mode).toBe('chatgpt');
    expect(codeOf(() => renderAuthJson({ ...chatgpt, authMode: 'apikey' }))).toBe('NO_CREDENTIALS');
  });

  it('writes nothing for host-supplied tokens and agent identities', () => {
    expect(renderAuthJson({ mode: 'chatgptAuthTokens' })).toBeUndefined();
    expect(renderAuthJson({ mode: 'agentIdentity', jwt: 'a.b.c' })).toBeUndefined();
  });

  it('refuses an empty or spaced credential without echoing it', () => {
    expect(codeOf(() => renderAuthJson({ mode: 'apiKey', apiKey: '' }))).toBe('NO_CREDENTIALS');
    try {
      renderAuthJson({ ...chatgpt, accessToken: 'secret value' });
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e) && e.code).toBe('NO_CREDENTIALS');
      expect(String(e)).not.toContain('secret value');
    }
  });
});

describe('codexEnv', () => {
  it('hands the agent identity in through CODEX_ACCESS_TOKEN and trusts the run CA', () => {
    const env = codexEnv('/h', { mode: 'agentIdentity', jwt: 'a.b.c' }, '/ca.pem');
    expect(env).toEqual({ CODEX_HOME: '/h', HOME: '/h', CODEX_CA_CERTIFICATE: '/ca.pem', SSL_CERT_FILE: '/ca.pem', CODEX_ACCESS_TOKEN: 'a.b.c' });
  });

  it('sets no token variable for file-based modes', () => {
    expect(Object.keys(codexEnv('/h', chatgpt))).toEqual(['CODEX_HOME', 'HOME']);
  });
});

describe('writeCodexHome', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('writes config.toml and an owner-only auth.json', async () => {
    const home = join(await tempDir('codex-home-'), 'home');
    dirs.push(home);
    const written = await writeCodexHome(home, chatgpt, { caCertPath: '/ca.pem' });
    expect(written.files).toEqual([join(home, 'config.toml'), join(home, 'auth.json')]);
    expect((await stat(join(home, 'auth.json'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(home, 'config.toml'), 'utf8')).toBe(renderConfigToml());
    expect(written.env['SSL_CERT_FILE']).toBe('/ca.pem');
  });
});
