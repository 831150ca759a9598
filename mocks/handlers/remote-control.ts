import type { HttpHandler } from 'msw';
import { reject } from '../verify/rejection.js';
import { backendPaths } from './paths.js';
import { accountOf, defineRoute, isObject, parseJsonBody, reply, type MockContext } from './route.js';

/**
 * App-server remote control enrollment: `POST {base}/wham/remote/control/server/enroll`
 * answering `{server_id, environment_id, remote_control_token, expires_at}`
 * (codex-rs/app-server-transport remote_control).
 */
export function remoteControlHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'wham.remoteControl.enroll',
    method: 'POST',
    paths: backendPaths({
      wham: '/wham/remote/control/server/enroll',
      codexApi: ['/remote/control/server/enroll', '/wham/remote/control/server/enroll'],
      root: '/wham/remote/control/server/enroll',
    }),
    auth: 'codexBackend',
    handle: (req) => {
      const account = accountOf(req);
      if (account === undefined) return reject(401, 'missing_credentials', 'Enrollment needs an account.');
      const parsed = parseJsonBody(req.body);
      if (!parsed.ok) return parsed.rejection;
      if (!isObject(parsed.value)) return reject(400, 'invalid_request', 'The enroll body must be a JSON object.');
      return reply.json({
        server_id: `srv_e_${req.ctx.backend.randomHex(8)}`,
        environment_id: account.environments[0]?.id ?? null,
        remote_control_token: `rc_${req.ctx.backend.randomHex(16)}`,
        expires_at: new Date(req.ctx.backend.now() + 3600_000).toISOString(),
      });
    },
  });
}
