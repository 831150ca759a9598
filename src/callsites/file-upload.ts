import type { Callsite } from './callsite.js';
import { requireCodexBackend } from './gates.js';

/**
 * OpenAI file upload for Codex Apps tool arguments: creates the upload, POST
 * `{base}/files` (`/backend-api`) or `{base}/api/files` with JSON `{file_name, file_size,
 * use_case}`. The caller rejects non-codex-backend auth BEFORE it applies any header ("ChatGPT
 * auth is required to upload files for Codex Apps tools").
 */
export const fileUploadCreate: Callsite = {
  id: 'openai-files.upload',
  title: 'OpenAI file upload creates an upload',
  method: 'POST',
  target: 'chatgptBackend',
  path: (style) => (style === 'wham' ? '/files' : '/api/files'),
  gate: (auth) => requireCodexBackend(auth, 'OpenAI file upload'),
  source: 'codex-rs/codex-api/src/files.rs, codex-rs/core/src/mcp_openai_file.rs',
  body: { file_name: 'report.csv', file_size: 12, use_case: 'codex' },
};
