import { callsiteById } from '../../src/callsites/catalog.js';
import { invokeCallsite, sendThroughProvider, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { DEFAULT_CHATGPT_BASE_URL } from '../../src/urls/derived-urls.js';
import { normalizeBackendClientBaseUrl } from '../../src/urls/normalize-chatgpt-base-url.js';
import { defineMutant } from './mutant.js';

/**
 * A backend client that always builds `/wham/...` paths, whatever the base: the bug the issue
 * measured with Stryker (forcing every base onto `/wham/` paths passed while the URL rules took
 * their expectations from the client's own src/urls). The source picks the style from the
 * normalized base (`PathStyle::from_base_url`, codex-rs/backend-client/src/client.rs): a base
 * without `/backend-api` gets `/api/codex/...` paths. The rules' own table (src/rules/contract/urls.ts)
 * must catch it.
 */
async function invokeWithWhamEverywhere(id: string, ctx: InvokeContext): Promise<Outcome> {
  const callsite = callsiteById(id);
  if (callsite.url !== undefined || callsite.target !== 'chatgptBackend') return invokeCallsite(id, ctx);
  let auth;
  try {
    auth = await ctx.source.auth();
  } catch {
    return invokeCallsite(id, ctx);
  }
  const decision = callsite.gate(auth, { appsEnabled: ctx.appsEnabled === true });
  if (!decision.allowed) return { kind: 'refused', reason: decision.reason };
  const base = normalizeBackendClientBaseUrl(ctx.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL);
  return sendThroughProvider(callsite, `${base}${callsite.path('wham')}`, ctx);
}

export const whamPathsEverywhere = defineMutant({
  name: 'wham-paths-everywhere',
  description: 'The backend client ignores the base when choosing the path style and always sends `/wham/...` paths, also under `/api/codex` bases.',
  breaks: { pr18811: 'URL.STYLE.001', 'codex-0.171': 'URL.STYLE.001' },
  source: 'codex-rs/backend-client/src/client.rs',
  parts: { invokeCallsite: invokeWithWhamEverywhere },
});
