import type { HttpHandler } from 'msw';
import { reject } from '../verify/rejection.js';
import { backendPaths } from './paths.js';
import { accountOf, defineRoute, reply, type MockContext } from './route.js';

/** Cloud environments of the calling account (codex-rs/cloud-tasks: environment listing). */
export function environmentHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'wham.environments',
    method: 'GET',
    paths: backendPaths({ wham: ['/wham/environments', '/wham/environments/by-repo/*'], codexApi: ['/environments', '/environments/by-repo/*'] }),
    auth: 'codexBackend',
    handle: (req) => {
      const account = accountOf(req);
      if (account === undefined) return reject(401, 'missing_credentials', 'Environments need an account.');
      return reply.json(account.environments.map((e, i) => ({ id: e.id, label: e.label, is_pinned: i === 0 })));
    },
  });
}
