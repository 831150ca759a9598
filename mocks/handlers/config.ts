import type { HttpHandler } from 'msw';
import { backendPaths } from './paths.js';
import { accountOf, defineRoute, reply, type MockContext } from './route.js';

/**
 * Cloud requirements (codex-rs/cloud-requirements: GET {base}/wham/config/requirements) and the
 * start-up config bundle (`wham/config/bundle`, seen on the wire from codex 0.171.0).
 */
export function configHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, {
      endpoint: 'wham.config.requirements',
      method: 'GET',
      paths: backendPaths({ wham: '/wham/config/requirements', codexApi: '/config/requirements' }),
      auth: 'codexBackend',
      handle: () => reply.json({ contents: null }),
    }),
    ...defineRoute(ctx, {
      endpoint: 'wham.config.bundle',
      method: 'GET',
      paths: backendPaths({ wham: '/wham/config/bundle', codexApi: '/config/bundle' }),
      auth: 'codexBackend',
      handle: (req) => reply.json({ account_id: accountOf(req)?.id ?? null, configs: [] }),
    }),
    ...defineRoute(ctx, {
      endpoint: 'wham.settings.user',
      method: 'GET',
      paths: backendPaths({ wham: '/wham/settings/user', codexApi: '/settings/user' }),
      auth: 'codexBackend',
      handle: () => reply.json({ settings: {} }),
    }),
  ];
}
