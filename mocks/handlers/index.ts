import type { HttpHandler } from 'msw';
import { accountDiscoveryHandlers } from './account-discovery.js';
import { agentIdentityHandlers } from './agent-identity.js';
import { appsMcpHandlers } from './apps-mcp.js';
import { cloudTaskHandlers } from './cloud-tasks.js';
import { configHandlers } from './config.js';
import { environmentHandlers } from './environments.js';
import { fallbackRoute } from './fallback.js';
import { fileHandlers } from './files.js';
import { modelHandlers } from './models.js';
import { oauthHandlers } from './oauth.js';
import { openaiApiHandlers } from './openai-api.js';
import { pluginHandlers } from './plugins.js';
import { remoteControlHandlers } from './remote-control.js';
import { responsesHandlers } from './responses.js';
import { responsesWebSocketHandlers } from './responses-websocket.js';
import type { MockContext } from './route.js';
import { mswHandler } from '../routes/msw-adapter.js';
import { routesOf, type MockRoute } from '../routes/route-table.js';
import { usageHandlers } from './usage.js';

export type { MockContext } from './route.js';

/** The msw handlers of each resource, in match order (each carries its route, route-table.ts). */
function resourceHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...accountDiscoveryHandlers(ctx),
    ...cloudTaskHandlers(ctx),
    ...environmentHandlers(ctx),
    ...configHandlers(ctx),
    ...remoteControlHandlers(ctx),
    ...appsMcpHandlers(ctx),
    ...pluginHandlers(ctx),
    ...modelHandlers(ctx),
    ...usageHandlers(ctx),
    ...fileHandlers(ctx),
    ...responsesWebSocketHandlers(ctx),
    ...responsesHandlers(ctx),
    ...agentIdentityHandlers(ctx),
    ...openaiApiHandlers(ctx),
    ...oauthHandlers(ctx),
  ];
}

/** The route table of the mock backend, in match order, ending with the unhandled-request catch-all. */
export function createRoutes(ctx: MockContext): MockRoute[] {
  return [...createResourceRoutes(ctx), fallbackRoute(ctx)];
}

/** The resource routes without the catch-all. */
export function createResourceRoutes(ctx: MockContext): MockRoute[] {
  const routes = routesOf(resourceHandlers(ctx));
  if (routes === undefined) throw new TypeError('createRoutes: every resource handler must be built with defineRoute (mocks/handlers/route.ts)');
  return routes;
}

/** The table as msw handlers (in process): one handler for the whole table. */
export function createHandlers(ctx: MockContext): HttpHandler[] {
  return [mswHandler(ctx, createRoutes(ctx))];
}

/** Resource handlers without the catch-all (to compose with other handlers before a fallback). */
export function createResourceHandlers(ctx: MockContext): HttpHandler[] {
  return [mswHandler(ctx, createResourceRoutes(ctx))];
}
