import { HttpResponse, type HttpHandler } from 'msw';
import { randomBytes } from 'node:crypto';
import { backendPaths } from './paths.js';
import { defineRoute, type MockContext } from './route.js';

/**
 * OpenAI file upload through the Codex backend (codex-rs/core file upload callsite: rejects
 * non-codex-backend auth before it applies headers). The mock stores nothing; it answers a
 * file object so the caller proceeds.
 */
export function fileHandlers(ctx: MockContext): HttpHandler[] {
  return defineRoute(ctx, {
    endpoint: 'files.upload',
    method: 'POST',
    paths: backendPaths({ wham: ['/files', '/wham/files', '/codex/files'], codexApi: ['/files', '/codex/files'] }),
    auth: 'codexBackend',
    handle: (req) =>
      HttpResponse.json({
        id: `file-${randomBytes(10).toString('hex')}`,
        object: 'file',
        bytes: req.body.length,
        created_at: Math.floor(req.ctx.backend.now() / 1000),
        purpose: 'user_data',
      }),
  });
}
