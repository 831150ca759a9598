import type { HttpHandler } from 'msw';
import { reject } from '../verify/rejection.js';
import { backendPaths } from './paths.js';
import { accountOf, defineRoute, reply, type MockContext } from './route.js';

/** Rate-limit status: `GET {base}/wham/usage` (codex-rs/backend-client `get_rate_limits`). */
export function usageHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'wham.usage',
    method: 'GET',
    paths: backendPaths({ wham: '/wham/usage', codexApi: '/usage' }),
    auth: 'codexBackend',
    handle: (req) => {
      const account = accountOf(req);
      if (account === undefined) return reject(401, 'missing_credentials', 'Usage needs an account.');
      const resetAt = Math.floor(req.ctx.backend.now() / 1000) + 3600;
      return reply.json({
        plan_type: account.plan,
        rate_limit: {
          allowed: true,
          limit_reached: false,
          primary_window: { used_percent: 12, limit_window_seconds: 18_000, reset_after_seconds: 3600, reset_at: resetAt },
          secondary_window: null,
        },
        credits: null,
      });
    },
  });
}
