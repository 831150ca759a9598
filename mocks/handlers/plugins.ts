import type { HttpHandler } from 'msw';
import { backendPaths } from './paths.js';
import { defineRoute, reply, type MockContext } from './route.js';

/**
 * Plugin listing endpoints the CLI calls at start-up (`GET /backend-api/ps/plugins/...`, seen
 * on the wire from codex 0.171.0); answered as an empty page `{plugins, pagination}`.
 */
export function pluginHandlers(ctx: MockContext): HttpHandler[] {
  return [
    // Public: the curated export is fetched without auth from a constant URL, the featured list
    // with the mode's auth when it uses the codex backend and without otherwise
    // (codex-rs/core-plugins/src/startup_sync.rs, codex-rs/core-plugins remote).
    ...defineRoute(ctx, {
      endpoint: 'plugins.export.curated',
      method: 'GET',
      paths: backendPaths({ wham: ['/plugins/export/curated'] }),
      auth: 'none',
      handle: () => reply.json({ plugins: [] }),
    }),
    ...defineRoute(ctx, {
      endpoint: 'plugins.featured',
      method: 'GET',
      paths: backendPaths({ wham: ['/plugins/featured'], codexApi: ['/plugins/featured'] }),
      auth: 'optionalCodexBackend',
      handle: () => reply.json({ plugins: [] }),
    }),
    ...defineRoute(ctx, {
      endpoint: 'ps.plugins',
      method: 'GET',
      paths: backendPaths({ wham: ['/ps/plugins/*', '/plugins/*'], codexApi: ['/ps/plugins/*', '/plugins/*'] }),
      auth: 'codexBackend',
      handle: () => reply.json({ plugins: [], pagination: { next_page_token: null } }),
    }),
  ];
}
