import { describe, expect, it } from 'vitest';
import { isBroken, judgeKill, type FileSnapshot } from './kill-verdict.js';

const OLD = `${JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: 'h.p.s', access_token: 'at-old', refresh_token: 'rt-old', account_id: 'acct' }, last_refresh: '2026-01-01T00:00:00Z' }, null, 2)}\n`;
const NEW = OLD.replace('at-old', 'at-new-longer').replace('rt-old', 'rt-new').replace('2026-01-01', '2026-12-06');
const before: FileSnapshot = { text: OLD, mode: 0o600 };

describe('kill verdicts (crash safety of auth.json writers)', () => {
  it('SHARE.WRITE.004 a kill that left the old file byte for byte is "old", not broken', () => {
    const v = judgeKill(before, { text: OLD, mode: 0o600 });
    expect(v.kind).toBe('old');
    expect(isBroken(v)).toBe(false);
    expect(v.message).toContain('auth.json left as whole JSON with mode 600');
  });

  it('SHARE.WRITE.004 whole new JSON keeping every key is "new"', () => {
    expect(judgeKill(before, { text: NEW, mode: 0o600 }).kind).toBe('new');
  });

  it('SHARE.WRITE.004 an empty file is broken ("empty")', () => {
    const v = judgeKill(before, { text: '', mode: 0o600 });
    expect(v.kind).toBe('empty');
    expect(isBroken(v)).toBe(true);
    expect(v.message).toContain('not whole JSON');
  });

  it('SHARE.WRITE.004 a JSON document cut off before its end is "truncated"', () => {
    expect(judgeKill(before, { text: NEW.slice(0, 128), mode: 0o600 }).kind).toBe('truncated');
  });

  it('SHARE.WRITE.004 bytes that are no JSON (old tail after a shorter new head, NULs) are "unparseable"', () => {
    expect(judgeKill(before, { text: `${NEW}${OLD.slice(-20)}`, mode: 0o600 }).kind).toBe('unparseable');
    expect(judgeKill(before, { text: '\u0000'.repeat(40), mode: 0o600 }).kind).toBe('unparseable');
  });

  it('SHARE.WRITE.004 no file at all is "absent"', () => {
    expect(judgeKill(before, { mode: 0o600 }).kind).toBe('absent');
  });

  it('SHARE.WRITE.004 whole JSON that dropped a key (tokens.account_id) is "lostKeys" and names the key', () => {
    const data = JSON.parse(NEW) as { tokens: Record<string, unknown> };
    delete data.tokens['account_id'];
    const v = judgeKill(before, { text: JSON.stringify(data), mode: 0o600 });
    expect(v.kind).toBe('lostKeys');
    expect(v.message).toContain('tokens.account_id');
  });

  it('SHARE.WRITE.004 mode 644 after 600 is "wrongMode"; 644 before and after is not', () => {
    expect(judgeKill(before, { text: NEW, mode: 0o644 }).kind).toBe('wrongMode');
    expect(judgeKill({ text: OLD, mode: 0o644 }, { text: NEW, mode: 0o644 }).kind).toBe('new');
  });

  it('a verdict never carries the file content (tokens)', () => {
    for (const after of [{ text: NEW }, { text: NEW.slice(0, 50) }, { text: '' }]) expect(judgeKill(before, after).message).not.toMatch(/at-new|rt-new|rt-old/);
  });

  it('misuse: a before-file that is not whole JSON is a TypeError', () => {
    expect(() => judgeKill({ text: '{' }, { text: OLD })).toThrow(TypeError);
  });
});
