import { type ClientProfile, DEFAULT_CLIENT_PROFILE } from '../auth/client-profile.js';
import type { CodexAuth } from '../auth/codex-auth.js';
import type { Outcome } from '../harness/implementation.js';
import { type AppsToolsCache, type AppsToolsCacheKey, appsToolsCacheKey } from '../cache/apps-tools-cache.js';
import { backendUrl, isTrustedAppsOrigin } from '../urls/derived-urls.js';
import { isInputError } from '../errors.js';
import type { AuthSource, Callsite } from './callsite.js';
import { callsiteById } from './catalog.js';

export interface InvokeContext {
  readonly source: AuthSource;
  /** The client's contract profile (default: the newest). */
  readonly profile?: ClientProfile;
  readonly chatgptBaseUrl?: string;
  readonly openaiBaseUrl?: string;
  readonly fetch: typeof fetch;
  readonly appsEnabled?: boolean;
  /** When given, `apps-mcp.tools-list` answers from it on a hit and stores `result.tools` on success. */
  readonly appsToolsCache?: AppsToolsCache;
  /** How the cache key is derived (default: the generic getters); a mutant may replace it. */
  readonly appsToolsCacheKey?: (auth: CodexAuth) => AppsToolsCacheKey;
}

export const APPS_MCP_CALLSITE_ID = 'apps-mcp.tools-list';

const DEFAULT_BASE = 'https://chatgpt.com/backend-api/';

/**
 * Runs one callsite the way the real caller does: load auth, GATE FIRST (a refused gate builds no
 * provider and sends nothing), build the URL from the configured base, build the provider, apply
 * its headers, send; on 401 run the unauthorized recovery once and retry with a fresh provider.
 */
export async function invokeCallsite(id: string, ctx: InvokeContext): Promise<Outcome> {
  const callsite = callsiteById(id);
  let auth: CodexAuth;
  try {
    auth = await ctx.source.auth();
  } catch (e) {
    return { kind: 'errored', message: `loading auth failed: ${messageOf(e)}` };
  }
  const profile = ctx.profile ?? DEFAULT_CLIENT_PROFILE;
  const decision = callsite.gate(auth, { appsEnabled: ctx.appsEnabled === true, openaiBaseUrl: ctx.openaiBaseUrl, profile });
  if (!decision.allowed) return { kind: 'refused', reason: decision.reason };

  let url: string;
  try {
    url = urlFor(callsite, auth, ctx);
  } catch (e) {
    if (isInputError(e)) return { kind: 'errored', message: e.message };
    throw e;
  }

  const cache = callsite.id === APPS_MCP_CALLSITE_ID ? ctx.appsToolsCache : undefined;
  const cacheKey = (ctx.appsToolsCacheKey ?? appsToolsCacheKey)(auth);
  if (cache !== undefined) {
    const cached = await cache.get(cacheKey);
    if (cached.kind === 'hit') return { kind: 'sent', status: 200, body: { result: { tools: cached.tools } } };
  }

  const outcome = await sendThroughProvider(callsite, url, ctx, appsRequestPolicy(callsite, url, ctx, profile));
  const tools = cache !== undefined && outcome.kind === 'sent' && outcome.status >= 200 && outcome.status < 300 ? toolsOf(outcome.body) : undefined;
  if (cache !== undefined && tools !== undefined) await cache.put(cacheKey, tools);
  return outcome;
}

/**
 * The request half of a caller: build the provider, apply its headers, send; after a 401 run the
 * unauthorized recovery once and retry with a fresh provider. Exported for the mutants, which get
 * the gate or the URL wrong but send the way the reference does.
 */
export async function sendThroughProvider(callsite: Callsite, url: string, ctx: InvokeContext, policy: RequestPolicy = WITH_AUTH): Promise<Outcome> {
  try {
    let response = await send(callsite, url, ctx, policy);
    if (policy.auth && response.status === 401 && (await ctx.source.onUnauthorized())) {
      response = await send(callsite, url, ctx, policy);
    }
    return { kind: 'sent', status: response.status, body: await readBody(response) };
  } catch (e) {
    return { kind: 'errored', message: `${callsite.id} failed: ${messageOf(e)}` };
  }
}

function urlFor(callsite: Callsite, auth: CodexAuth, ctx: InvokeContext): string {
  const bases = { chatgptBaseUrl: ctx.chatgptBaseUrl, openaiBaseUrl: ctx.openaiBaseUrl };
  if (callsite.url !== undefined) return callsite.url(bases, auth, ctx.profile ?? DEFAULT_CLIENT_PROFILE);
  return backendUrl(ctx.chatgptBaseUrl ?? DEFAULT_BASE, callsite);
}

/** Whether the provider's auth headers go with a request, and which static headers are added. */
export interface RequestPolicy {
  readonly auth: boolean;
  readonly staticHeaders: Readonly<Record<string, string>>;
}

const WITH_AUTH: RequestPolicy = { auth: true, staticHeaders: {} };

/**
 * Codex Apps MCP (codex-rs/codex-mcp/src/mcp/mod.rs, connection_manager/startup.rs): where the
 * profile has the trust gate, ChatGPT auth is attached only when the MCP URL's origin is trusted
 * (`https://chatgpt.com`, or an https chatgpt-staging.com origin equal to the configured base);
 * otherwise the server is downgraded to OAuth and gets no ChatGPT credentials. The `/ps/mcp`
 * server config carries `X-OpenAI-Product-Sku: codex`.
 */
function appsRequestPolicy(callsite: Callsite, url: string, ctx: InvokeContext, profile: ClientProfile): RequestPolicy {
  if (callsite.id !== APPS_MCP_CALLSITE_ID) return WITH_AUTH;
  const staticHeaders = profile.appsMcp === 'psMcp' ? { 'x-openai-product-sku': 'codex' } : {};
  const auth = !profile.appsTrustedOriginOnly || isTrustedAppsOrigin(url, ctx.chatgptBaseUrl ?? DEFAULT_BASE);
  return { auth, staticHeaders };
}

async function send(callsite: Callsite, url: string, ctx: InvokeContext, policy: RequestPolicy): Promise<Response> {
  const headers = new Headers(policy.staticHeaders);
  if (policy.auth) (await ctx.source.provider()).applyHeaders(headers);
  // An agent identity loads its runtime eagerly (PR #19763), headers or not: outside production and
  // staging that load fails (URL.AGENT.004) before any request, an untrusted Apps one included.
  else if ((await ctx.source.auth()).mode === 'agentIdentity') await ctx.source.provider();
  const init: RequestInit = { method: callsite.method, headers };
  if (callsite.body !== undefined) {
    headers.set('content-type', 'application/json');
    init.body = JSON.stringify(callsite.body);
  }
  return ctx.fetch(url, init);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toolsOf(body: unknown): readonly unknown[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const result = (body as Record<string, unknown>)['result'];
  if (typeof result !== 'object' || result === null) return undefined;
  const tools = (result as Record<string, unknown>)['tools'];
  return Array.isArray(tools) ? (tools as unknown[]) : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
