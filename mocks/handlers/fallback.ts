import { http, HttpResponse, type HttpHandler } from 'msw';
import { CASE_ID_HEADER, headersToRecord } from '../journal.js';
import { readBody, type MockContext } from './route.js';

/**
 * The last handler: any request no resource handler served is journaled with handled:false
 * (an error of the run) and answered 404 with a JSON error naming the path.
 */
export function recordUnhandled(ctx: MockContext, request: Request, body: Uint8Array | undefined, status: number): void {
  const caseId = request.headers.get(CASE_ID_HEADER) ?? ctx.currentCaseId;
  ctx.journal.record({
    ...(caseId === undefined ? {} : { caseId }),
    method: request.method,
    url: request.url,
    headers: headersToRecord(request.headers),
    ...(body === undefined ? {} : { body }),
    credential: request.headers.has('authorization') ? { kind: 'malformed', reason: 'not verified: unhandled request' } : { kind: 'none' },
    verdict: { status, handled: false, reason: 'no_handler' },
  });
}

export function fallbackHandlers(ctx: MockContext): HttpHandler[] {
  const patterns = ctx.origins === '*' ? ['*'] : ctx.origins.map((o) => `${o}/*`);
  return patterns.map((pattern) =>
    http.all(pattern, async ({ request }) => {
      const read = await readBody(request, ctx.backend.options.bodyLimitBytes).catch(() => undefined);
      recordUnhandled(ctx, request, read instanceof Uint8Array ? read : undefined, 404);
      const path = new URL(request.url).pathname.slice(0, 200);
      return HttpResponse.json(
        { error: { code: 'no_handler', message: `The mock backend has no handler for ${request.method} ${path}.` } },
        { status: 404 },
      );
    }),
  );
}
