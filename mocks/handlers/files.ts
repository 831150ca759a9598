import type { HttpHandler } from 'msw';
import { reject } from '../verify/rejection.js';
import { backendPaths } from './paths.js';
import { defineRoute, isObject, parseJsonBody, reply, type MockContext } from './route.js';

/**
 * OpenAI file upload for Codex Apps tool arguments (codex-rs/codex-api/src/files.rs):
 * 1. `POST {base}/files` (`/backend-api`; `{base}/api/files` otherwise) with JSON
 *    `{file_name, file_size, use_case}` -> `{file_id, upload_url}` (needs codex-backend auth);
 * 2. `PUT {upload_url}` with the bytes (blob storage: no auth headers);
 * 3. `POST {base}/files/{file_id}/uploaded` -> `{status: "success", download_url, ...}`.
 */
const uploads = new WeakMap<MockContext, Map<string, { fileName: string; size: number; received: boolean }>>();

function uploadsOf(ctx: MockContext): Map<string, { fileName: string; size: number; received: boolean }> {
  let map = uploads.get(ctx);
  if (map === undefined) {
    map = new Map();
    uploads.set(ctx, map);
  }
  return map;
}

export function fileHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, {
      endpoint: 'files.create',
      method: 'POST',
      paths: backendPaths({ wham: ['/files', '/wham/files'], codexApi: ['/files'], root: '/api/files' }),
      auth: 'codexBackend',
      handle: (req) => {
        const parsed = parseJsonBody(req.body);
        if (!parsed.ok) return parsed.rejection;
        const o = parsed.value;
        if (!isObject(o) || typeof o['file_name'] !== 'string' || typeof o['file_size'] !== 'number') {
          return reject(400, 'invalid_request', 'The body must be {file_name: string, file_size: number, use_case}.');
        }
        const fileId = `file_${req.ctx.backend.randomHex(10)}`;
        uploadsOf(req.ctx).set(fileId, { fileName: o['file_name'], size: o['file_size'], received: false });
        return reply.json({ file_id: fileId, upload_url: `${req.url.origin}/mock-blob/upload/${fileId}` });
      },
    }),
    ...defineRoute(ctx, {
      endpoint: 'files.blobUpload',
      method: 'PUT',
      paths: ['/mock-blob/upload/:fileId'],
      auth: 'none',
      handle: (req) => {
        const upload = uploadsOf(req.ctx).get(req.params['fileId'] ?? '');
        if (upload === undefined) return reject(404, 'upload_not_found', 'No pending upload with this id.');
        upload.received = true;
        return reply.empty({ status: 201 });
      },
    }),
    ...defineRoute(ctx, {
      endpoint: 'files.finalize',
      method: 'POST',
      paths: backendPaths({ wham: ['/files/:fileId/uploaded'], codexApi: ['/files/:fileId/uploaded'], root: '/api/files/:fileId/uploaded' }),
      auth: 'codexBackend',
      handle: (req) => {
        const fileId = req.params['fileId'] ?? '';
        const upload = uploadsOf(req.ctx).get(fileId);
        if (upload === undefined) return reject(404, 'upload_not_found', 'No upload with this id.');
        if (!upload.received) return reply.json({ status: 'retry' });
        return reply.json({
          status: 'success',
          download_url: `${req.url.origin}/mock-blob/download/${fileId}`,
          file_name: upload.fileName,
          mime_type: 'application/octet-stream',
          file_size_bytes: upload.size,
        });
      },
    }),
  ];
}
