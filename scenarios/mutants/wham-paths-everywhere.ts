import type { InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { normalizeBackendClientBaseUrl } from '../../src/urls/normalize-chatgpt-base-url.js';
import { invokeBackendAt } from './invoke-backend-at.js';
import { defineMutant } from './mutant.js';

/**
 * A backend client that always builds `/wham/...` paths, whatever the base: the bug the issue
 * measured with Stryker (forcing every base onto `/wham/` paths passed while the URL rules took
 * their expectations from the client's own src/urls). The source picks the style from the
 * normalized base (`PathStyle::from_base_url`, codex-rs/backend-client/src/client.rs): a base
 * without `/backend-api` gets `/api/codex/...` paths. The rules' own table (src/rules/contract/urls.ts)
 * must catch it.
 */
function invokeWithWhamEverywhere(id: string, ctx: InvokeContext): Promise<Outcome> {
  return invokeBackendAt(id, ctx, (configured, callsite) => `${normalizeBackendClientBaseUrl(configured)}${callsite.path('wham')}`);
}

export const whamPathsEverywhere = defineMutant({
  name: 'wham-paths-everywhere',
  description: 'The backend client ignores the base when choosing the path style and always sends `/wham/...` paths, also under `/api/codex` bases.',
  breaks: { pr18811: 'URL.STYLE.001', 'codex-0.171': 'URL.STYLE.001' },
  source: 'codex-rs/backend-client/src/client.rs',
  parts: { invokeCallsite: invokeWithWhamEverywhere },
});
