import { invokeCallsite, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { defineMutant } from './mutant.js';

/**
 * The Codex Apps gate checks the login but not `apps_enabled`: Codex Apps MCP is called with the
 * user's credentials although the config turned Apps off. The source gates on both
 * (`apps_enabled && auth.uses_codex_backend()`, codex-rs/core/src/mcp/mod.rs
 * `host_owned_codex_apps_enabled`). A Stryker
 * survivor of src/callsites/gates.ts until the requests suite got a hand-picked apps-disabled case.
 */
function invokeIgnoringAppsEnabled(id: string, ctx: InvokeContext): Promise<Outcome> {
  return invokeCallsite(id, id.startsWith('apps-mcp.') ? { ...ctx, appsEnabled: true } : ctx);
}

export const appsEnabledIgnored = defineMutant({
  name: 'apps-enabled-ignored',
  description: 'Codex Apps MCP is called for any codex-backend login, even with apps_enabled = false in config.',
  breaks: { pr18811: 'GATE.APPS.001', 'codex-0.171': 'GATE.APPS.001' },
  source: 'codex-rs/core/src/mcp/mod.rs',
  parts: { invokeCallsite: invokeIgnoringAppsEnabled },
});
