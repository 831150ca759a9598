import { DEFAULT_CLIENT_PROFILE } from '../../src/auth/client-profile.js';
import { invokeCallsite, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { defineMutant } from './mutant.js';

/**
 * The Codex Apps trust gate is missing: ChatGPT credentials go to the Apps MCP server on whatever
 * origin the configured base names. Since PR #29924 (and #36983 for staging) the source attaches
 * codex-backend auth only on https://chatgpt.com or the configured https chatgpt-staging.com
 * origin (codex-rs/codex-mcp/src/mcp/mod.rs `is_trusted_chatgpt_mcp_server`); elsewhere the
 * server gets none. At PR #18811 there was no gate: the behaviour is intended there.
 */
function invokeWithoutTrustGate(id: string, ctx: InvokeContext): Promise<Outcome> {
  return invokeCallsite(id, { ...ctx, profile: { ...(ctx.profile ?? DEFAULT_CLIENT_PROFILE), appsTrustedOriginOnly: false } });
}

export const appsCredentialsAnyOrigin = defineMutant({
  name: 'apps-credentials-any-origin',
  description: 'Codex Apps MCP gets the ChatGPT credentials on any origin (no trust gate), so a configured non-ChatGPT base receives Authorization and ChatGPT-Account-ID.',
  breaks: { 'codex-0.171': 'HDR.APPS.003' },
  source: 'codex-rs/codex-mcp/src/mcp/mod.rs (is_trusted_chatgpt_mcp_server, PR #29924, PR #36983)',
  parts: { invokeCallsite: invokeWithoutTrustGate },
});
