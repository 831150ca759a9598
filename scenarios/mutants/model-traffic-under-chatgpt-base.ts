import { callsiteById } from '../../src/callsites/catalog.js';
import { invokeCallsite, sendThroughProvider, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { DEFAULT_CHATGPT_BASE_URL } from '../../src/urls/derived-urls.js';
import { normalizeBackendClientBaseUrl } from '../../src/urls/normalize-chatgpt-base-url.js';
import { defineMutant } from './mutant.js';

/**
 * Model traffic of codex-backend auth follows chatgpt_base_url (`{base}/codex/responses`,
 * `{base}/codex/models`) instead of going to `openai_base_url` or the constant
 * https://chatgpt.com/backend-api/codex (codex-rs/model-provider-info/src/lib.rs `to_api_provider`,
 * every release from PR #18811 to 0.171.0). This is the harness's own earlier reading of the source.
 */
async function invokeWithModelUnderBase(id: string, ctx: InvokeContext): Promise<Outcome> {
  if (id !== 'core.responses' && id !== 'models.refresh') return invokeCallsite(id, ctx);
  let auth;
  try {
    auth = await ctx.source.auth();
  } catch {
    return invokeCallsite(id, ctx);
  }
  if (auth.mode === 'apiKey' || auth.mode === 'bedrockApiKey' || ctx.openaiBaseUrl !== undefined) return invokeCallsite(id, ctx);
  const callsite = callsiteById(id);
  const base = normalizeBackendClientBaseUrl(ctx.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL);
  return sendThroughProvider(callsite, `${base}/codex/${id === 'core.responses' ? 'responses' : 'models'}`, ctx);
}

export const modelTrafficUnderChatgptBase = defineMutant({
  name: 'model-traffic-under-chatgpt-base',
  description: 'Responses and the model catalogue of ChatGPT-backed auth go to `{chatgpt_base_url}/codex/...` instead of the constant https://chatgpt.com/backend-api/codex (or openai_base_url).',
  breaks: { pr18811: 'URL.MODEL.001', 'codex-0.171': 'URL.MODEL.001' },
  source: 'codex-rs/model-provider-info/src/lib.rs (to_api_provider, CHATGPT_CODEX_BASE_URL)',
  parts: { invokeCallsite: invokeWithModelUnderBase },
});
