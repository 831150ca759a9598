import { callsiteById } from '../../src/callsites/catalog.js';
import type { Callsite } from '../../src/callsites/callsite.js';
import { invokeCallsite, sendThroughProvider, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { DEFAULT_CHATGPT_BASE_URL } from '../../src/urls/derived-urls.js';

/**
 * For mutants that get a backend-client URL wrong: a `chatgptBackend` callsite without a fixed URL
 * is gated as the reference gates it and then sent to `url(configured base, callsite)`; every other
 * callsite (and a case whose auth does not load) goes through the reference unchanged.
 */
export async function invokeBackendAt(id: string, ctx: InvokeContext, url: (configuredBase: string, callsite: Callsite) => string): Promise<Outcome> {
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
  return sendThroughProvider(callsite, url(ctx.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL, callsite), ctx);
}
