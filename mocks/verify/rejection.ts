import { reply, type Reply } from '../routes/reply.js';

/**
 * A refusal by the mock backend: status, a stable machine code (journaled as the verdict
 * reason) and a message that names the problem. Never carries a raw secret.
 */
export interface Rejection {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Auth scheme for the RFC 6750 challenge on 401/403 (`Bearer` unless the request used another). */
  readonly challengeScheme?: 'Bearer' | 'AgentAssertion';
  readonly headers?: Readonly<Record<string, string>>;
}

export function reject(
  status: number,
  code: string,
  message: string,
  extra: Partial<Pick<Rejection, 'challengeScheme' | 'headers'>> = {},
): Rejection {
  return { status, code, message, ...extra };
}

/** RFC 6750 quoted-string: only printable ASCII, with `"` and `\` escaped. */
function quoted(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function wwwAuthenticate(rejection: Rejection): string {
  const scheme = rejection.challengeScheme ?? 'Bearer';
  return `${scheme} error="invalid_token", error_description=${quoted(`${rejection.code}: ${rejection.message}`)}`;
}

/** The answer to a refusal: JSON `{error: {code, message}}`, with the challenge on 401/403. */
export function rejectionReply(rejection: Rejection): Reply {
  const headers: Record<string, string> = { ...rejection.headers };
  if (rejection.status === 401 || rejection.status === 403) headers['www-authenticate'] = wwwAuthenticate(rejection);
  return reply.json({ error: { code: rejection.code, message: rejection.message } }, { status: rejection.status, headers });
}
