import { callsiteById } from '../../src/callsites/catalog.js';
import { invokeCallsite, sendThroughProvider, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { backendUrl, DEFAULT_CHATGPT_BASE_URL } from '../../src/urls/derived-urls.js';
import { defineMutant } from './mutant.js';

/**
 * The backend-client callers lost their `auth.uses_codex_backend()` check in the migration: the
 * provider-backed client assumes any auth it is handed is ChatGPT auth, so an API key is sent to
 * the ChatGPT backend as `Authorization: Bearer sk-...` (codex-rs/backend-client/src/client.rs,
 * `CodexAuth::uses_codex_backend` in codex-rs/login/src/auth/manager.rs).
 */
const UNGATED = new Set(['backend-client.rate-limits', 'chatgpt.get-task', 'cloud-tasks.list', 'remote-control.enroll']);

async function invokeWithoutBackendGate(id: string, ctx: InvokeContext): Promise<Outcome> {
  if (!UNGATED.has(id)) return invokeCallsite(id, ctx);
  let mode: string;
  try {
    mode = (await ctx.source.auth()).mode;
  } catch {
    return invokeCallsite(id, ctx);
  }
  if (mode !== 'apiKey') return invokeCallsite(id, ctx);
  const callsite = callsiteById(id);
  return sendThroughProvider(callsite, backendUrl(ctx.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL, callsite), ctx);
}

export const apiKeyThroughGate = defineMutant({
  name: 'api-key-through-gate',
  description: 'Backend-client callers (rate limits, cloud tasks, chatgpt task, remote control) skip the codex-backend gate and send an API key to the ChatGPT backend.',
  breaks: { pr18811: 'GATE.APIKEY.001', 'codex-0.171': 'GATE.APIKEY.001' },
  source: 'codex-rs/backend-client/src/client.rs, codex-rs/login/src/auth/manager.rs',
  parts: { invokeCallsite: invokeWithoutBackendGate },
});
