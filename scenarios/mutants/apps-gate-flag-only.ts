import { DEFAULT_CLIENT_PROFILE } from '../../src/auth/client-profile.js';
import { usesCodexBackend } from '../../src/auth/auth-getters.js';
import { callsiteById } from '../../src/callsites/catalog.js';
import { APPS_MCP_CALLSITE_ID, invokeCallsite, sendThroughProvider, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { defineMutant } from './mutant.js';

/**
 * Codex Apps gated on the feature flag alone: with apps enabled, an API-key login also connects to
 * Codex Apps MCP (and sends its key there). Before PR #14011 (merged 2026-03-09) Apps and
 * connectors counted as enabled for API-key users; the fix added `apps_enabled_for_auth`, and the
 * gate became `apps_enabled && auth.uses_codex_backend()` (codex-rs/codex-mcp/src/mcp/mod.rs,
 * corpus B4).
 */
async function invokeAppsOnFlagOnly(id: string, ctx: InvokeContext): Promise<Outcome> {
  if (id !== APPS_MCP_CALLSITE_ID || ctx.appsEnabled !== true) return invokeCallsite(id, ctx);
  let auth;
  try {
    auth = await ctx.source.auth();
  } catch {
    return invokeCallsite(id, ctx);
  }
  const callsite = callsiteById(id);
  if (usesCodexBackend(auth) || callsite.url === undefined) return invokeCallsite(id, ctx);
  const url = callsite.url({ chatgptBaseUrl: ctx.chatgptBaseUrl, openaiBaseUrl: ctx.openaiBaseUrl }, auth, ctx.profile ?? DEFAULT_CLIENT_PROFILE);
  return sendThroughProvider(callsite, url, ctx);
}

export const appsGateFlagOnly = defineMutant({
  name: 'apps-gate-flag-only',
  description: 'Codex Apps is enabled by the apps flag alone: an API-key login connects to Codex Apps MCP with its key.',
  breaks: { pr18811: 'GATE.APPS.001', 'codex-0.171': 'GATE.APPS.001' },
  source: 'https://github.com/openai/codex/pull/14011; codex-rs/codex-mcp/src/mcp/mod.rs',
  parts: { invokeCallsite: invokeAppsOnFlagOnly },
});
