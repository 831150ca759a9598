/**
 * What one kill of an auth.json writer left on disk, judged in the words of SHARE.WRITE.004
 * ("every auth.json a writer leaves is whole JSON, with mode 0600 when the writer created it or it
 * was 0600 before"; branch `share`, src/rules/catalogue.ts), applied to the file a killed writer
 * leaves rather than to the one it leaves when it finishes. A kill may leave the old file or the
 * new one; anything else is broken. Messages carry lengths and key names, never file content.
 */
export interface FileSnapshot {
  /** The file's text; undefined when it does not exist. */
  readonly text?: string;
  /** Permission bits (e.g. 0o600). */
  readonly mode?: number;
}

export const BROKEN_KINDS = ['absent', 'empty', 'truncated', 'unparseable', 'lostKeys', 'wrongMode'] as const;
export type BrokenKind = (typeof BROKEN_KINDS)[number];

export type KillVerdict =
  | { readonly kind: 'old'; readonly message: string }
  | { readonly kind: 'new'; readonly message: string }
  | { readonly kind: BrokenKind; readonly message: string };

export function isBroken(v: KillVerdict): boolean {
  return v.kind !== 'old' && v.kind !== 'new';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Top-level keys and `tokens.*` fields with a non-null value (what a rewrite must keep). */
export function presentKeys(data: Record<string, unknown>): string[] {
  const keys = Object.keys(data).filter((k) => data[k] !== null && data[k] !== undefined);
  const tokens = data['tokens'];
  if (isRecord(tokens)) keys.push(...Object.keys(tokens).filter((k) => tokens[k] !== null && tokens[k] !== undefined).map((k) => `tokens.${k}`));
  return keys;
}

type Parsed = { readonly ok: true; readonly data: Record<string, unknown> } | { readonly ok: false; readonly endedEarly: boolean };

function parse(text: string): Parsed {
  try {
    const data: unknown = JSON.parse(text);
    return isRecord(data) ? { ok: true, data } : { ok: false, endedEarly: false };
  } catch (e) {
    // V8: "Unexpected end of JSON input" (or "... is not valid JSON" at the very end) for a cut-off document.
    const message = e instanceof Error ? e.message : '';
    const endedEarly = /end of JSON input/i.test(message) || (/^\s*[{[]/.test(text) && !/[}\]]\s*$/.test(text) && !text.includes('\u0000'));
    return { ok: false, endedEarly };
  }
}

const octal = (mode: number | undefined): string => (mode === undefined ? '?' : (mode & 0o777).toString(8));

/**
 * Judges the auth.json a killed writer left (`after`) against the one before the write (`before`,
 * which must be whole JSON). `old`: byte-identical to before; `new`: whole JSON that keeps every
 * key before held; broken otherwise, the first that applies of absent, empty, truncated (a JSON
 * document cut off before its end), unparseable, lostKeys, wrongMode (not 0600 although it was
 * 0600 before).
 */
export function judgeKill(before: FileSnapshot, after: FileSnapshot): KillVerdict {
  if (before.text === undefined) throw new TypeError('judgeKill: the auth.json before the write must exist');
  const was = parse(before.text);
  if (!was.ok) throw new TypeError('judgeKill: the auth.json before the write must be whole JSON');
  const wholeWith = (what: string): string => `auth.json left as whole JSON with mode ${octal(after.mode)} (${what})`;
  const notWhole = (what: string): string => `the auth.json the writer left is not whole JSON: ${what}`;
  if (after.text === undefined) return { kind: 'absent', message: 'the writer left no auth.json (the old file is gone and no new one is in place)' };
  if (after.text.length === 0) return { kind: 'empty', message: notWhole('0 bytes (truncated to empty)') };
  const now = parse(after.text);
  if (!now.ok) {
    return now.endedEarly
      ? { kind: 'truncated', message: notWhole(`${after.text.length} bytes of a JSON document cut off before its end (${before.text.length} bytes before)`) }
      : { kind: 'unparseable', message: notWhole(`${after.text.length} bytes that do not parse`) };
  }
  const lost = presentKeys(was.data).filter((k) => !presentKeys(now.data).includes(k));
  if (lost.length > 0) return { kind: 'lostKeys', message: `the auth.json the writer left is whole JSON but dropped ${lost.join(', ')}` };
  if (before.mode !== undefined && (before.mode & 0o777) === 0o600 && after.mode !== undefined && (after.mode & 0o777) !== 0o600) {
    return { kind: 'wrongMode', message: `the auth.json the writer left has mode ${octal(after.mode)} (mode 600 before)` };
  }
  if (after.text === before.text) return { kind: 'old', message: wholeWith('the old content, unchanged') };
  return { kind: 'new', message: wholeWith(`new content, ${after.text.length} bytes, every key kept`) };
}
