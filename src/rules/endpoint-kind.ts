/**
 * What an observed URL is, judged from its path alone (for journals and HAR captures that carry
 * no case knowledge). Path shapes from codex-rs/backend-client/src/client.rs (`/wham/...`,
 * `/api/codex/...`), codex-rs/agent-identity/src/lib.rs (task registration, JWKS),
 * codex-rs/codex-mcp/src/mcp/mod.rs (apps MCP) and codex-rs/login/src/auth/manager.rs
 * (`/oauth/token`), codex-rs/login/src/auth/personal_access_token.rs (whoami).
 */
export const ENDPOINT_KINDS = ['taskRegistration', 'jwks', 'oauthToken', 'whoami', 'appsMcp', 'codexBackend', 'other'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export function endpointKind(url: string): EndpointKind {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return 'other';
  }
  if (/\/v1\/agent\/[^/]+\/task\/register\/?$/.test(path)) return 'taskRegistration';
  if (/\/agent-identities\/jwks\/?$/.test(path)) return 'jwks';
  if (/\/oauth\/token\/?$/.test(path)) return 'oauthToken';
  if (/\/v1\/user-auth-credential\/whoami\/?$/.test(path)) return 'whoami';
  if (/\/(ps\/mcp|wham\/apps|api\/codex\/apps)\/?$/.test(path)) return 'appsMcp';
  if (/\/backend-api(\/|$)|\/api\/codex(\/|$)/.test(path)) return 'codexBackend';
  return 'other';
}

/** The runtime id in a task-registration path, if it is one. */
export function registrationRuntimeId(url: string): string | undefined {
  try {
    const m = /\/v1\/agent\/([^/]+)\/task\/register\/?$/.exec(new URL(url).pathname);
    return m?.[1] === undefined ? undefined : decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}
