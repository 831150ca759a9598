/**
 * Builds a compact JWT whose signature is a placeholder. The Codex client never checks the
 * id_token signature (codex-rs/login/src/token_data.rs), so fixtures and the mock backend can
 * issue such tokens for ChatGPT mode. Never use this for Agent Identity JWTs, which are verified.
 */
export function unsignedJwt(payload: Readonly<Record<string, unknown>>): string {
  const enc = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.${Buffer.from('sig').toString('base64url')}`;
}
