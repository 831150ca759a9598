import { http, type HttpHandler } from 'msw';
import { matchPatterns, readBody, toResponse, type MockContext } from '../handlers/route.js';
import { fromFetchRequest } from './parsed-request.js';
import { dispatch, tagRoute, type MockRoute } from './route-table.js';

/**
 * The in-process adapter: msw intercepts the Fetch Request and the table answers it. The whole
 * table is one msw handler (msw then runs one predicate and one resolver per request, not one per
 * route); each route also has a handler of its own (`routeHandler`) for `server.use()`.
 */
interface Target {
  readonly url: URL;
  readonly target: string;
}

const targets = new WeakMap<Request, Target>();

function targetOf(request: Request): Target {
  let t = targets.get(request);
  if (t === undefined) {
    const url = new URL(request.url);
    t = { url, target: `${url.origin}${url.pathname}` };
    targets.set(request, t);
  }
  return t;
}

function matchesAny(routes: readonly MockRoute[], request: Request): boolean {
  const { target } = targetOf(request);
  return routes.some((r) => {
    if (r.kind === 'resource' && r.spec.method !== 'ALL' && r.spec.method !== request.method) return false;
    return matchPatterns(r.patterns, target) !== undefined;
  });
}

/** One msw handler answering from `routes` in order (falls through when none answers). */
export function mswHandler(ctx: MockContext, routes: readonly MockRoute[]): HttpHandler {
  return http.all(
    ({ request }) => matchesAny(routes, request),
    async ({ request }) => {
      const { url, target } = targetOf(request);
      const answer = await dispatch(ctx, routes, {
        parsed: fromFetchRequest(request),
        url,
        target,
        readBody: (limit) => readBody(request, limit),
      });
      return answer === undefined ? undefined : toResponse(answer);
    },
  );
}

/** The msw handler of one route, carrying the route (see route-table.ts `routeOf`). */
export function routeHandler(ctx: MockContext, route: MockRoute): HttpHandler {
  return tagRoute(mswHandler(ctx, [route]), route);
}
