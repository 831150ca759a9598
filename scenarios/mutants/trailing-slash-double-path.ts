import { callsiteById } from '../../src/callsites/catalog.js';
import { invokeCallsite, sendThroughProvider, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { DEFAULT_CHATGPT_BASE_URL } from '../../src/urls/derived-urls.js';
import { normalizeBackendClientBaseUrl } from '../../src/urls/normalize-chatgpt-base-url.js';
import { pathStyleFor } from '../../src/urls/path-style.js';
import { defineMutant } from './mutant.js';

/**
 * The backend client picks the path style from the normalized base but joins the path to the base
 * as configured, so the default spelling `.../backend-api/` yields `.../backend-api//wham/...`.
 * The source trims trailing slashes before it appends a path (codex-rs/backend-client/src/client.rs,
 * `normalize_chatgpt_base_url`).
 */
async function invokeWithNaiveJoin(id: string, ctx: InvokeContext): Promise<Outcome> {
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
  const configured = ctx.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL;
  const style = pathStyleFor(normalizeBackendClientBaseUrl(configured));
  return sendThroughProvider(callsite, `${configured}${callsite.path(style)}`, ctx);
}

export const trailingSlashDoublePath = defineMutant({
  name: 'trailing-slash-double-path',
  description: 'Backend paths are appended to the configured base without trimming its trailing slash, so requests go to `/backend-api//wham/...`.',
  breaks: { pr18811: 'URL.NORM.001', 'codex-0.171': 'URL.NORM.002' },
  source: 'codex-rs/backend-client/src/client.rs',
  parts: { invokeCallsite: invokeWithNaiveJoin },
});
