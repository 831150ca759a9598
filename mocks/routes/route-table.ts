import type { RequestHandler } from 'msw';
import { assertNever } from '../../src/assert-never.js';
import { recordUnhandledParsed } from '../handlers/fallback.js';
import {
  caseIdOf,
  matchPatterns,
  runRoute,
  type BodyReader,
  type CompiledPattern,
  type MockContext,
  type RouteAnswer,
  type RouteSpec,
} from '../handlers/route.js';
import type { ParsedRequest } from './parsed-request.js';
import { reply } from './reply.js';

/**
 * The mock's route table: one entry per route, in match order, each answered by pure code over a
 * ParsedRequest. Both adapters dispatch the same entries with `dispatch`: msw in process
 * (msw-adapter.ts) and node:http on the port (node-adapter.ts).
 *
 * - `resource`: a route of the backend (mocks/handlers/*), or a fault that answers in its place;
 * - `delay`: a fault that waits, then lets the request fall through to the next entry;
 * - `fallback`: the last entry; journals the request as unhandled and answers 404.
 */
export type MockRoute =
  | { readonly kind: 'resource'; readonly spec: RouteSpec; readonly patterns: readonly CompiledPattern[] }
  | {
      readonly kind: 'delay';
      readonly patterns: readonly CompiledPattern[];
      readonly when: (request: ParsedRequest, caseId: string | undefined) => boolean;
      readonly delayMs: number;
    }
  | { readonly kind: 'fallback'; readonly patterns: readonly CompiledPattern[] };

/** A request as the table sees it: parsed, with its URL, match target and body on demand. */
export interface TableRequest {
  readonly parsed: ParsedRequest;
  readonly url: URL;
  /** Origin plus path, query left out: what route patterns match. */
  readonly target: string;
  readonly readBody: BodyReader;
}

const ROUTE = Symbol.for('codex-auth-conformance.mock-route');

/** Marks an msw handler as serving `route` (so the port adapter can dispatch the route directly). */
export function tagRoute<H extends RequestHandler>(handler: H, route: MockRoute): H {
  Object.defineProperty(handler, ROUTE, { value: route, enumerable: false });
  return handler;
}

/** The route an msw handler serves, when it was built from the table. */
export function routeOf(handler: RequestHandler): MockRoute | undefined {
  return (handler as unknown as { [ROUTE]?: MockRoute })[ROUTE];
}

/** Routes of handlers that all came from the table, or undefined if any is a plain msw handler. */
export function routesOf(handlers: readonly RequestHandler[]): MockRoute[] | undefined {
  const routes: MockRoute[] = [];
  for (const h of handlers) {
    const route = routeOf(h);
    if (route === undefined) return undefined;
    routes.push(route);
  }
  return routes;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function methodMatches(spec: RouteSpec, method: string): boolean {
  return spec.method === 'ALL' || spec.method === method;
}

/**
 * Runs the first entry that matches and answers; undefined when none does (the adapter then
 * falls through: msw to its next handler, the port to a 501).
 */
export async function dispatch(ctx: MockContext, routes: readonly MockRoute[], req: TableRequest): Promise<RouteAnswer | undefined> {
  const caseId = caseIdOf(ctx, req.parsed);
  for (const route of routes) {
    switch (route.kind) {
      case 'resource': {
        if (!methodMatches(route.spec, req.parsed.method)) continue;
        const params = matchPatterns(route.patterns, req.target);
        if (params === undefined) continue;
        if (route.spec.when !== undefined && !route.spec.when(req.parsed, caseId)) continue;
        return runRoute(ctx, route.spec, req.parsed, req.readBody, req.url, params, caseId);
      }
      case 'delay': {
        if (matchPatterns(route.patterns, req.target) === undefined) continue;
        if (!route.when(req.parsed, caseId)) continue;
        await sleep(route.delayMs);
        continue;
      }
      case 'fallback': {
        if (matchPatterns(route.patterns, req.target) === undefined) continue;
        const read = await req.readBody(ctx.backend.options.bodyLimitBytes).catch(() => undefined);
        recordUnhandledParsed(ctx, req.parsed, read instanceof Uint8Array ? read : undefined, 404);
        const path = req.url.pathname.slice(0, 200);
        return reply.json(
          { error: { code: 'no_handler', message: `The mock backend has no handler for ${req.parsed.method} ${path}.` } },
          { status: 404 },
        );
      }
      default:
        return assertNever(route, 'mock route');
    }
  }
  return undefined;
}
