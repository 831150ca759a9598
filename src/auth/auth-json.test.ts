import { readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInputError } from '../errors.js';
import {
  type AtomicWriteIo,
  type AuthJson,
  parseAuthJson,
  readAuthJson,
  resolvedAuthJsonMode,
  serializeAuthJson,
  writeAuthJsonAtomic,
} from './auth-json.js';
import { parseIdToken } from './id-token.js';
import { unsignedJwt } from './unsigned-jwt.js';
import { tempDir } from '../testing/temp-dirs.js';

const idJwt = unsignedJwt({ email: 'a@example.com', 'https://api.openai.com/auth': { chatgpt_plan_type: 'pro' } });

const chatgptFile = {
  OPENAI_API_KEY: null,
  tokens: { id_token: idJwt, access_token: 'at-1', refresh_token: 'rt-1', account_id: 'acct-1' },
  last_refresh: '2025-01-02T03:04:05.123456Z',
};

function errorOf(fn: () => unknown): { code: string; message: string } | undefined {
  try {
    fn();
  } catch (e) {
    if (isInputError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  return undefined;
}

describe('parseAuthJson', () => {
  it('parses a ChatGPT auth.json and decodes the id_token', () => {
    const data = parseAuthJson(JSON.stringify(chatgptFile));
    expect(data.openaiApiKey).toBeNull();
    expect(data.tokens?.accessToken).toBe('at-1');
    expect(data.tokens?.refreshToken).toBe('rt-1');
    expect(data.tokens?.accountId).toBe('acct-1');
    expect(data.tokens?.idToken.email).toBe('a@example.com');
    expect(data.tokens?.idToken.planType).toBe('pro');
    expect(data.lastRefresh).toBe('2025-01-02T03:04:05.123456Z');
    expect(resolvedAuthJsonMode(data)).toBe('chatgpt');
  });

  it('resolves the mode: explicit auth_mode wins, else an API key means apikey', () => {
    expect(resolvedAuthJsonMode(parseAuthJson('{"OPENAI_API_KEY":"sk-1"}'))).toBe('apikey');
    expect(resolvedAuthJsonMode(parseAuthJson('{}'))).toBe('chatgpt');
    expect(resolvedAuthJsonMode(parseAuthJson('{"auth_mode":"agentIdentity","OPENAI_API_KEY":"sk"}'))).toBe(
      'agentIdentity',
    );
  });

  it('accepts the agent identity as a JWT string (recent) or a record object (earlier versions)', () => {
    expect(parseAuthJson('{"agent_identity":"a.b.c"}').agentIdentity).toEqual({ kind: 'jwt', jwt: 'a.b.c' });
    const record = parseAuthJson(
      JSON.stringify({
        auth_mode: 'agentIdentity',
        agent_identity: {
          agent_runtime_id: 'rt',
          agent_private_key: 'k',
          account_id: 'acct',
          chatgpt_user_id: 'u',
          email: 'e@example.com',
          plan_type: 'pro',
          chatgpt_account_is_fedramp: true,
        },
      }),
    ).agentIdentity;
    expect(record).toEqual({
      kind: 'record',
      record: {
        agentRuntimeId: 'rt',
        agentPrivateKey: 'k',
        accountId: 'acct',
        chatgptUserId: 'u',
        email: 'e@example.com',
        planType: 'pro',
        isFedramp: true,
      },
    });
  });

  it('ignores unknown top-level fields, as serde does', () => {
    expect(parseAuthJson('{"OPENAI_API_KEY":"sk","something_new":1}')).toEqual({ openaiApiKey: 'sk' });
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['[]', 'top level'],
    ['{"OPENAI_API_KEY": 5}', 'OPENAI_API_KEY'],
    ['{"auth_mode": "wizard"}', 'auth_mode'],
    ['{"tokens": "x"}', 'tokens'],
    ['{"tokens": {"access_token": "a", "refresh_token": "r"}}', 'tokens.id_token'],
    [`{"tokens": {"id_token": "nope", "access_token": "a", "refresh_token": "r"}}`, 'tokens.id_token'],
    [`{"tokens": {"id_token": "${idJwt}", "refresh_token": "r"}}`, 'tokens.access_token'],
    [`{"tokens": {"id_token": "${idJwt}", "access_token": "a", "refresh_token": 1}}`, 'tokens.refresh_token'],
    [`{"tokens": {"id_token": "${idJwt}", "access_token": "a", "refresh_token": "r", "account_id": 3}}`, 'tokens.account_id'],
    ['{"last_refresh": "yesterday"}', 'last_refresh'],
    ['{"agent_identity": 7}', 'agent_identity'],
    ['{"agent_identity": {"agent_runtime_id": "x"}}', 'agent_identity.chatgpt_account_is_fedramp'],
  ])('AUTH_JSON_MALFORMED for %s names %s', (text, field) => {
    const err = errorOf(() => parseAuthJson(text));
    expect(err?.code).toBe('AUTH_JSON_MALFORMED');
    expect(err?.message).toContain(field);
  });

  it('never echoes a secret value in an error', () => {
    const err = errorOf(() =>
      parseAuthJson('{"tokens": {"id_token": "SECRET-not-a-jwt", "access_token": "a", "refresh_token": "r"}}'),
    );
    expect(err?.message).not.toContain('SECRET');
  });

  it('gives a typed error or a result for any random string (never a crash)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), (text) => {
        try {
          parseAuthJson(text);
        } catch (e) {
          expect(isInputError(e) && e.code).toBe('AUTH_JSON_MALFORMED');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives a typed error or a result for random objects with auth.json field names', () => {
    const field = fc.constantFrom('auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh', 'agent_identity', 'personal_access_token');
    fc.assert(
      fc.property(fc.dictionary(field, fc.jsonValue()), (obj) => {
        try {
          parseAuthJson(JSON.stringify(obj));
        } catch (e) {
          expect(isInputError(e) && e.code).toBe('AUTH_JSON_MALFORMED');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('serializeAuthJson', () => {
  it('round-trips, keeping the raw id_token and writing the field names the source uses', () => {
    const data = parseAuthJson(JSON.stringify(chatgptFile));
    const text = serializeAuthJson(data);
    expect(JSON.parse(text)).toEqual(chatgptFile);
    expect(parseAuthJson(text)).toEqual(data);
  });

  it('always writes OPENAI_API_KEY and leaves absent optional fields out', () => {
    expect(JSON.parse(serializeAuthJson({ openaiApiKey: null }))).toEqual({ OPENAI_API_KEY: null });
    expect(Object.keys(JSON.parse(serializeAuthJson({ authMode: 'apikey', openaiApiKey: 'sk' })))).toEqual([
      'auth_mode',
      'OPENAI_API_KEY',
    ]);
  });
});

describe('readAuthJson / writeAuthJsonAtomic', () => {
  let home: string;
  beforeEach(async () => {
    home = await tempDir('codex-home-');
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const newData: AuthJson = {
    openaiApiKey: null,
    tokens: { idToken: parseIdToken(idJwt), accessToken: 'at-2', refreshToken: 'rt-2', accountId: 'acct-1' },
    lastRefresh: '2025-02-01T00:00:00Z',
  };

  it('AUTH_JSON_MISSING when there is no auth.json', async () => {
    await expect(readAuthJson(home)).rejects.toMatchObject({ code: 'AUTH_JSON_MISSING' });
  });

  it('writes auth.json with mode 0600 that reads back equal, and leaves no temp file', async () => {
    await writeAuthJsonAtomic(home, newData);
    expect(await readAuthJson(home)).toEqual(newData);
    expect((await stat(join(home, 'auth.json'))).mode & 0o777).toBe(0o600);
    expect(await readdir(home)).toEqual(['auth.json']);
  });

  it('creates CODEX_HOME when it does not exist yet', async () => {
    const nested = join(home, 'a', 'b');
    await writeAuthJsonAtomic(nested, newData);
    expect((await readAuthJson(nested)).tokens?.accessToken).toBe('at-2');
  });

  for (const step of ['write', 'fsync', 'rename'] as const) {
    it(`a failing ${step} leaves the old auth.json intact and no temp file behind`, async () => {
      const old = JSON.stringify(chatgptFile);
      await writeFile(join(home, 'auth.json'), old, { mode: 0o600 });
      const boom = Object.assign(new Error(`injected ${step} failure`), { code: 'EIO' });
      const io: AtomicWriteIo = {
        mkdir: fsp.mkdir,
        rm: fsp.rm,
        rename: step === 'rename' ? () => Promise.reject(boom) : fsp.rename,
        open: (async (...args: Parameters<typeof fsp.open>) => {
          const handle = await fsp.open(...args);
          if (step === 'write') {
            // Write half the data, then fail: the partial file must never become auth.json.
            handle.writeFile = async (text: unknown) => {
              await fsp.appendFile(String(args[0]), String(text).slice(0, 10));
              throw boom;
            };
          }
          if (step === 'fsync') handle.sync = () => Promise.reject(boom);
          return handle;
        }) as typeof fsp.open,
      };
      await expect(writeAuthJsonAtomic(home, newData, io)).rejects.toMatchObject({ code: 'AUTH_JSON_WRITE_FAILED' });
      expect(await readFile(join(home, 'auth.json'), 'utf8')).toBe(old);
      expect(await readdir(home)).toEqual(['auth.json']);
    });
  }

  it('a real filesystem error (auth.json is a directory) is AUTH_JSON_WRITE_FAILED and cleans up', async () => {
    await mkdir(join(home, 'auth.json'));
    await writeFile(join(home, 'auth.json', 'keep'), 'x');
    await expect(writeAuthJsonAtomic(home, newData)).rejects.toMatchObject({ code: 'AUTH_JSON_WRITE_FAILED' });
    expect(await readdir(home)).toEqual(['auth.json']);
    expect(await readFile(join(home, 'auth.json', 'keep'), 'utf8')).toBe('x');
  });
});
