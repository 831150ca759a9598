import { http, type HttpHandler } from 'msw';
import type { CredentialAttribution, MockVerdict } from '../../src/rules/observed-request.js';
import { CASE_ID_HEADER, headersToRecord, type Journal } from '../journal.js';
import type { MockBackend } from '../state/mock-backend.js';
import { authorize, type AuthPolicy, type Principal } from '../verify/authorization.js';
import { checkHeaderSafety } from '../verify/header-safety.js';
import { reject, rejectionResponse, type Rejection } from '../verify/rejection.js';

/**
 * The one shape every mock handler has: parse the request, run the pure verification for the
 * route's auth policy, call the resource function, return an HttpResponse, and journal the
 * request with its credential attribution and verdict. A handler never throws: anything
 * unexpected becomes a journaled 500.
 */
export interface MockContext {
  readonly backend: MockBackend;
  readonly journal: Journal;
  /** Origins the handlers match (`*` = any origin, as the node:http bridge needs). */
  readonly origins: readonly string[] | '*';
  /** Case id for requests that carry no case header (in-process runs set it per case). */
  currentCaseId?: string | undefined;
}

export type HttpMethodName = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ALL';

export interface RouteRequest {
  readonly request: Request;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly caseId: string | undefined;
  readonly body: Uint8Array;
  readonly principal: Principal;
  readonly credential: CredentialAttribution;
  readonly ctx: MockContext;
}

export type RouteResult = Response | Rejection;

export interface RouteSpec {
  /** Logical endpoint name journaled in the verdict, e.g. `wham.tasks.list`. */
  readonly endpoint: string;
  readonly method: HttpMethodName;
  /** Paths (without origin); msw path syntax (`:param`, `*`). */
  readonly paths: readonly string[];
  readonly auth: AuthPolicy;
  /** Applies this route only when true (faults select requests this way); otherwise falls through. */
  readonly when?: (request: Request, caseId: string | undefined) => boolean;
  handle(req: RouteRequest): RouteResult | Promise<RouteResult>;
}

export function isRejection(value: RouteResult): value is Rejection {
  return !(value instanceof Response);
}

export function caseIdOf(ctx: MockContext, request: Request): string | undefined {
  return request.headers.get(CASE_ID_HEADER) ?? ctx.currentCaseId;
}

const EMPTY = new Uint8Array(0);

/** Reads the body of a clone (the original stays readable), refusing anything over `limit`. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array | Rejection> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  const tooLarge = (): Rejection =>
    reject(413, 'body_too_large', `The request body is larger than ${limit} bytes.`);
  if (Number.isFinite(declared) && declared > limit) return tooLarge();
  if (request.body === null) return EMPTY;
  const bytes = new Uint8Array(await request.clone().arrayBuffer());
  return bytes.length > limit ? tooLarge() : bytes;
}

export function patternsFor(ctx: MockContext, paths: readonly string[]): string[] {
  return ctx.origins === '*' ? paths.map((p) => `*${p}`) : ctx.origins.flatMap((o) => paths.map((p) => `${o}${p}`));
}

function stringParams(params: Record<string, string | readonly string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.join('/');
  }
  return out;
}

export async function runRoute(
  ctx: MockContext,
  spec: Pick<RouteSpec, 'endpoint' | 'auth' | 'handle'>,
  request: Request,
  params: Readonly<Record<string, string>>,
  caseId: string | undefined,
): Promise<Response> {
  let credential: CredentialAttribution = { kind: 'none' };
  let body: Uint8Array = EMPTY;
  const finish = (response: Response, reason?: string): Response => {
    const verdict: MockVerdict = {
      status: response.status,
      handled: true,
      endpoint: spec.endpoint,
      ...(reason === undefined ? {} : { reason }),
    };
    ctx.journal.record({
      ...(caseId === undefined ? {} : { caseId }),
      method: request.method,
      url: request.url,
      headers: headersToRecord(request.headers),
      body,
      credential,
      verdict,
    });
    return response;
  };
  const refuse = (r: Rejection): Response => finish(rejectionResponse(r), r.code);
  try {
    const unsafe = checkHeaderSafety(request.headers);
    if (unsafe !== undefined) return refuse(unsafe);
    const read = await readBody(request, ctx.backend.options.bodyLimitBytes);
    if (!(read instanceof Uint8Array)) return refuse(read);
    body = read;
    const auth = await authorize(ctx.backend, request.headers, spec.auth);
    credential = auth.credential;
    if (auth.rejection !== undefined || auth.principal === undefined) {
      return refuse(auth.rejection ?? reject(401, 'unauthorized', 'The request is not authorized.'));
    }
    const result = await spec.handle({
      request,
      url: new URL(request.url),
      params,
      caseId,
      body,
      principal: auth.principal,
      credential,
      ctx,
    });
    return isRejection(result) ? refuse(result) : finish(result);
  } catch {
    return refuse(reject(500, 'internal_error', 'The mock backend failed while handling the request.'));
  }
}

/** A path pattern (msw syntax: `:name` segments, `*` wildcards) compiled once to a regular expression. */
interface CompiledPattern {
  readonly regex: RegExp;
  readonly names: readonly string[];
}

export function compilePattern(pattern: string): CompiledPattern {
  const names: string[] = [];
  let source = '';
  for (const part of pattern.split(/(\*|:[A-Za-z_][A-Za-z0-9_]*)/)) {
    if (part === '*') source += '.*';
    else if (part.startsWith(':')) {
      names.push(part.slice(1));
      source += '([^/]+)';
    } else source += part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return { regex: new RegExp(`^${source}/?$`), names };
}

/**
 * One msw handler per route: a custom predicate matches the request (method, then the route's
 * compiled paths against origin + path, query ignored) so msw does not parse each path pattern per
 * request. First matching path wins; routes keep their table order.
 */
export function defineRoute(ctx: MockContext, spec: RouteSpec): HttpHandler[] {
  const patterns = patternsFor(ctx, spec.paths).map(compilePattern);
  const predicate = ({ request }: { request: Request }): { matches: boolean; params: Record<string, string> } => {
    const miss = { matches: false, params: {} };
    if (spec.method !== 'ALL' && request.method !== spec.method) return miss;
    const url = new URL(request.url);
    const target = `${url.origin}${url.pathname}`;
    for (const p of patterns) {
      const m = p.regex.exec(target);
      if (m === null) continue;
      const params: Record<string, string> = {};
      p.names.forEach((name, i) => {
        const raw = m[i + 1] ?? '';
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          params[name] = raw;
        }
      });
      return { matches: true, params };
    }
    return miss;
  };
  return [
    http.all(predicate, async ({ request, params }) => {
      const caseId = caseIdOf(ctx, request);
      if (spec.when !== undefined && !spec.when(request, caseId)) return undefined;
      return runRoute(ctx, spec, request, stringParams(params as Record<string, string | readonly string[] | undefined>), caseId);
    }),
  ];
}

export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly rejection: Rejection };

/** Parses a JSON request body; 400 invalid_json when it is empty, not UTF-8 or not JSON. */
export function parseJsonBody(body: Uint8Array): JsonBody {
  if (body.length === 0) {
    return { ok: false, rejection: reject(400, 'invalid_json', 'The request body is empty; a JSON body is required.') };
  }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown };
  } catch {
    return { ok: false, rejection: reject(400, 'invalid_json', 'The request body is not valid UTF-8 JSON.') };
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The account of a verified codex-backend principal (undefined for anonymous requests). */
export function accountOf(req: RouteRequest): import('../state/accounts.js').Account | undefined {
  return req.principal.kind === 'chatgpt' || req.principal.kind === 'agent' ? req.principal.account : undefined;
}
