import type { HttpHandler } from 'msw';
import { CASE_ID_HEADER, headerLinesOf, headersToRecord } from '../journal.js';
import { routeHandler } from '../routes/msw-adapter.js';
import type { ParsedRequest } from '../routes/parsed-request.js';
import type { MockRoute } from '../routes/route-table.js';
import { compilePattern, type MockContext } from './route.js';

/**
 * The last entry of the table: any request no resource route served is journaled with
 * handled:false (an error of the run) and answered 404 with a JSON error naming the path
 * (route-table.ts `dispatch`).
 */
export function recordUnhandled(ctx: MockContext, request: Request | ParsedRequest, body: Uint8Array | undefined, status: number): void {
  recordUnhandledParsed(ctx, request, body, status);
}

export function recordUnhandledParsed(ctx: MockContext, request: ParsedRequest, body: Uint8Array | undefined, status: number): void {
  const caseId = request.headers.get(CASE_ID_HEADER) ?? ctx.currentCaseId;
  ctx.journal.record({
    ...(caseId === undefined ? {} : { caseId }),
    method: request.method,
    url: request.url,
    headers: headersToRecord(request.headers),
    ...lines(request.headers),
    ...(body === undefined ? {} : { body }),
    credential: request.headers.has('authorization') ? { kind: 'malformed', reason: 'not verified: unhandled request' } : { kind: 'none' },
    verdict: { status, handled: false, reason: 'no_handler' },
  });
}

export function fallbackRoute(ctx: MockContext): MockRoute {
  const patterns = ctx.origins === '*' ? ['*'] : ctx.origins.map((o) => `${o}/*`);
  return { kind: 'fallback', patterns: patterns.map(compilePattern) };
}

export function fallbackHandlers(ctx: MockContext): HttpHandler[] {
  return [routeHandler(ctx, fallbackRoute(ctx))];
}

/** The journal's `headerLines` field, present only when a header arrived on several lines. */
function lines(headers: Headers): { headerLines?: Record<string, number> } {
  const found = headerLinesOf(headers);
  return found === undefined ? {} : { headerLines: found };
}
