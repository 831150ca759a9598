import { http, type HttpHandler } from 'msw';
import type { CredentialAttribution, MockVerdict, RefreshLineage } from '../../src/rules/observed-request.js';
import { CASE_ID_HEADER, headerLinesOf, headersToRecord, type Journal } from '../journal.js';
import { routeHandler } from '../routes/msw-adapter.js';
import type { ParsedRequest } from '../routes/parsed-request.js';
import { isReply, toHttpResponse, type Reply } from '../routes/reply.js';
import type { MockBackend } from '../state/mock-backend.js';
import { authorize, type AuthPolicy, type Principal } from '../verify/authorization.js';
import { checkHeaderSafety } from '../verify/header-safety.js';
import { reject, rejectionReply, type Rejection } from '../verify/rejection.js';

export type { ParsedRequest } from '../routes/parsed-request.js';
export { reply, type Reply } from '../routes/reply.js';

/**
 * The one shape every mock route has: a pure function over a parsed request. `runRoute` checks
 * the headers, reads the body, runs the verification of the route's auth policy, calls the
 * resource function and journals the request with its credential attribution and verdict. A
 * route never throws: anything unexpected becomes a journaled 500. Routes are one table
 * (`MockRoute`, mocks/routes/route-table.ts) served by two adapters: msw in process
 * (mocks/routes/msw-adapter.ts) and node:http on the port (mocks/routes/node-adapter.ts).
 */
export interface MockContext {
  readonly backend: MockBackend;
  readonly journal: Journal;
  /** Origins the handlers match (`*` = any origin, as the node:http bridge needs). */
  readonly origins: readonly string[] | '*';
  /** Case id for requests that carry no case header (in-process runs set it per case). */
  currentCaseId?: string | undefined;
  /**
   * Runs before the mock answers a request 401 for its credential (awaited, so a scenario can
   * change auth.json between a client's first and second 401; the request is journaled after).
   */
  onUnauthorized?: ((url: URL, caseId: string | undefined) => Promise<void>) | undefined;
}

export type HttpMethodName = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ALL';

export interface RouteRequest {
  readonly request: ParsedRequest;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly caseId: string | undefined;
  readonly body: Uint8Array;
  readonly principal: Principal;
  readonly credential: CredentialAttribution;
  readonly ctx: MockContext;
  /**
   * Adds the refresh-token lineage of a token-endpoint request to its journal entry;
   * `onRecorded` learns the entry's seq once it is journaled.
   */
  noteRefresh(lineage: RefreshLineage, onRecorded?: (seq: number) => void): void;
}

/** What a route noted for its journal entry. */
interface JournalNote {
  refresh?: RefreshLineage;
  onRecorded?: (seq: number) => void;
}

/** A plain reply (preferred: both adapters write it directly), a Fetch Response (streams), or a refusal. */
export type RouteResult = Reply | Response | Rejection;

/** What an adapter writes back: a reply or a Fetch Response. */
export type RouteAnswer = Reply | Response;

export interface RouteSpec {
  /** Logical endpoint name journaled in the verdict, e.g. `wham.tasks.list`. */
  readonly endpoint: string;
  readonly method: HttpMethodName;
  /** Paths (without origin); msw path syntax (`:param`, `*`). */
  readonly paths: readonly string[];
  readonly auth: AuthPolicy;
  /** Applies this route only when true (faults select requests this way); otherwise falls through. */
  readonly when?: (request: ParsedRequest, caseId: string | undefined) => boolean;
  handle(req: RouteRequest): RouteResult | Promise<RouteResult>;
}

export function isRejection(value: RouteResult): value is Rejection {
  return !(value instanceof Response) && !isReply(value);
}

export function caseIdOf(ctx: MockContext, request: { readonly headers: Pick<Headers, 'get'> }): string | undefined {
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

/** How an adapter hands a route the request body: read on demand, refusing anything over `limit`. */
export type BodyReader = (limit: number) => Promise<Uint8Array | Rejection>;

export function patternsFor(ctx: MockContext, paths: readonly string[]): string[] {
  return ctx.origins === '*' ? paths.map((p) => `*${p}`) : ctx.origins.flatMap((o) => paths.map((p) => `${o}${p}`));
}

/** Journals one answered request (with its credential attribution and verdict) and returns the answer. */
function journaled(
  ctx: MockContext,
  endpoint: string,
  request: ParsedRequest,
  caseId: string | undefined,
  body: Uint8Array,
  credential: CredentialAttribution,
  answer: RouteAnswer,
  note: JournalNote,
  reason?: string,
): RouteAnswer {
  const verdict: MockVerdict = { status: answer.status, handled: true, endpoint, ...(reason === undefined ? {} : { reason }) };
  const entry = ctx.journal.record({
    ...(caseId === undefined ? {} : { caseId }),
    method: request.method,
    url: request.url,
    headers: headersToRecord(request.headers),
    ...lines(request.headers),
    body,
    credential,
    ...(note.refresh === undefined ? {} : { refresh: note.refresh }),
    verdict,
  });
  note.onRecorded?.(entry.seq);
  return answer;
}

export async function runRoute(
  ctx: MockContext,
  spec: Pick<RouteSpec, 'endpoint' | 'auth' | 'handle'>,
  request: ParsedRequest,
  readRequestBody: BodyReader,
  url: URL,
  params: Readonly<Record<string, string>>,
  caseId: string | undefined,
): Promise<RouteAnswer> {
  let credential: CredentialAttribution = { kind: 'none' };
  let body: Uint8Array = EMPTY;
  let refusal: Rejection;
  const note: JournalNote = {};
  const noteRefresh = (lineage: RefreshLineage, onRecorded?: (seq: number) => void): void => {
    note.refresh = lineage;
    if (onRecorded !== undefined) note.onRecorded = onRecorded;
  };
  try {
    const unsafe = checkHeaderSafety(request.headers);
    if (unsafe !== undefined) {
      refusal = unsafe;
    } else {
      const read = await readRequestBody(ctx.backend.options.bodyLimitBytes);
      if (!(read instanceof Uint8Array)) {
        refusal = read;
      } else {
        body = read;
        const auth = await authorize(ctx.backend, request.headers, spec.auth);
        credential = auth.credential;
        if (auth.rejection !== undefined || auth.principal === undefined) {
          refusal = auth.rejection ?? reject(401, 'unauthorized', 'The request is not authorized.');
          if (refusal.status === 401) await ctx.onUnauthorized?.(url, caseId);
        } else {
          const result = await spec.handle({ request, url, params, caseId, body, principal: auth.principal, credential, ctx, noteRefresh });
          if (!isRejection(result)) return journaled(ctx, spec.endpoint, request, caseId, body, credential, result, note);
          refusal = result;
        }
      }
    }
  } catch {
    refusal = reject(500, 'internal_error', 'The mock backend failed while handling the request.');
  }
  return journaled(ctx, spec.endpoint, request, caseId, body, credential, rejectionReply(refusal), note, refusal.code);
}

/** A path pattern (msw syntax: `:name` segments, `*` wildcards) compiled once to a regular expression. */
export interface CompiledPattern {
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

/** Params of the first pattern that matches `target` (origin + path, query ignored), or undefined. */
export function matchPatterns(patterns: readonly CompiledPattern[], target: string): Record<string, string> | undefined {
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
    return params;
  }
  return undefined;
}

/**
 * One resource route of the table. Returns one msw handler that serves the route on its own
 * (faults are added in process with `server.use()`) and carries the route, so the table
 * (`createRoutes`) and the port adapter read it back with `routeOf`.
 */
export function defineRoute(ctx: MockContext, spec: RouteSpec): HttpHandler[] {
  return [routeHandler(ctx, { kind: 'resource', spec, patterns: patternsFor(ctx, spec.paths).map(compilePattern) })];
}

/** The in-process form of an answer. */
export function toResponse(answer: RouteAnswer): Response {
  return isReply(answer) ? toHttpResponse(answer) : answer;
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

/** The journal's `headerLines` field, present only when a header arrived on several lines. */
function lines(headers: Headers): { headerLines?: Record<string, number> } {
  const found = headerLinesOf(headers);
  return found === undefined ? {} : { headerLines: found };
}
