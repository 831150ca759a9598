import type { InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { normalizeBackendClientBaseUrl } from '../../src/urls/normalize-chatgpt-base-url.js';
import { pathStyleFor } from '../../src/urls/path-style.js';
import { invokeBackendAt } from './invoke-backend-at.js';
import { defineMutant } from './mutant.js';

/**
 * The backend client picks the path style from the normalized base but joins the path to the base
 * as configured, so the default spelling `.../backend-api/` yields `.../backend-api//wham/...`.
 * The source trims trailing slashes before it appends a path (codex-rs/backend-client/src/client.rs,
 * `normalize_chatgpt_base_url`).
 */
function invokeWithNaiveJoin(id: string, ctx: InvokeContext): Promise<Outcome> {
  return invokeBackendAt(id, ctx, (configured, callsite) => `${configured}${callsite.path(pathStyleFor(normalizeBackendClientBaseUrl(configured)))}`);
}

export const trailingSlashDoublePath = defineMutant({
  name: 'trailing-slash-double-path',
  description: 'Backend paths are appended to the configured base without trimming its trailing slash, so requests go to `/backend-api//wham/...`.',
  breaks: { pr18811: 'URL.NORM.001', 'codex-0.171': 'URL.NORM.002' },
  source: 'codex-rs/backend-client/src/client.rs',
  parts: { invokeCallsite: invokeWithNaiveJoin },
});
