import type { HttpHandler } from 'msw';
import { backendPaths } from './paths.js';
import { defineRoute, reply, type MockContext } from './route.js';

/**
 * Plugin listing endpoints the CLI calls at start-up (`GET /backend-api/ps/plugins/...`, seen
 * on the wire from codex 0.171.0); answered as an empty page `{plugins, pagination}`.
 */
export function pluginHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'ps.plugins',
    method: 'GET',
    paths: backendPaths({ wham: ['/ps/plugins/*', '/plugins/*'], codexApi: ['/ps/plugins/*', '/plugins/*'] }),
    auth: 'codexBackend',
    handle: () => reply.json({ plugins: [], pagination: { next_page_token: null } }),
  });
}
