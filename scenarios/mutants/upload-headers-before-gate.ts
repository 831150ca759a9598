import { usesCodexBackend } from '../../src/auth/auth-getters.js';
import { callsiteById } from '../../src/callsites/catalog.js';
import { invokeCallsite, sendThroughProvider, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { backendUrl, DEFAULT_CHATGPT_BASE_URL } from '../../src/urls/derived-urls.js';
import { defineMutant } from './mutant.js';

/**
 * OpenAI file upload with the check in the wrong place: the uploader creates the upload first
 * (provider headers applied, `POST .../files` sent) and only checks the auth when it handles the
 * answer, so an API key has already reached the ChatGPT backend when the call is refused. The
 * source rejects non-codex-backend auth before it applies any header
 * (codex-rs/codex-api/src/files.rs, codex-rs/core/src/mcp_openai_file.rs).
 */
const UPLOAD = 'openai-files.upload';

async function uploadThenCheck(id: string, ctx: InvokeContext): Promise<Outcome> {
  if (id !== UPLOAD) return invokeCallsite(id, ctx);
  const callsite = callsiteById(id);
  let auth;
  try {
    auth = await ctx.source.auth();
  } catch (e) {
    return { kind: 'errored', message: `loading auth failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const created = await sendThroughProvider(callsite, backendUrl(ctx.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL, callsite), ctx);
  if (!usesCodexBackend(auth)) {
    return { kind: 'refused', reason: 'ChatGPT auth is required to upload files for Codex Apps tools' };
  }
  return created;
}

export const uploadHeadersBeforeGate = defineMutant({
  name: 'upload-headers-before-gate',
  description: 'File upload applies the provider headers and sends the create-upload request before it rejects non-codex-backend auth (the refusal comes after an API key was sent).',
  breaks: { pr18811: 'GATE.UPLOAD.001', 'codex-0.171': 'GATE.UPLOAD.001' },
  source: 'codex-rs/codex-api/src/files.rs, codex-rs/core/src/mcp_openai_file.rs',
  parts: { invokeCallsite: uploadThenCheck },
});
