import { APPS_MCP_CALLSITE_ID, invokeCallsite, type InvokeContext } from '../../src/callsites/invoke.js';
import type { Outcome } from '../../src/harness/implementation.js';
import { defineMutant } from './mutant.js';

/**
 * The Apps gate before PR #18811: `apps_enabled && auth.is_chatgpt_auth()`. Agent identities use
 * the codex backend but are not ChatGPT auth, so Codex Apps stay off for them. The migrated gate
 * is `apps_enabled && auth.uses_codex_backend()` (codex-rs/codex-mcp/src/mcp/mod.rs). Some Apps
 * MCP paths kept the old check after PR #18811 and were fixed in PR #19240 ("allow AgentIdentity
 * through Apps MCP gates": codex-rs/core/src/connectors.rs, app-server plugins follow-up).
 */
async function invokeWithChatgptOnlyAppsGate(id: string, ctx: InvokeContext): Promise<Outcome> {
  if (id === APPS_MCP_CALLSITE_ID) {
    try {
      const auth = await ctx.source.auth();
      if (auth.mode !== 'chatgpt' && auth.mode !== 'chatgptAuthTokens') {
        return { kind: 'refused', reason: `Codex Apps require ChatGPT auth (mode ${auth.mode})` };
      }
    } catch {
      // fall through: the reference caller reports the load failure
    }
  }
  return invokeCallsite(id, ctx);
}

export const appsGateChatgptOnly = defineMutant({
  name: 'apps-gate-chatgpt-only',
  description: 'The Codex Apps gate still checks is_chatgpt_auth, so agent identities (which use the codex backend) never get Codex Apps.',
  breaks: { pr18811: 'GATE.AGENT.001', 'codex-0.171': 'GATE.AGENT.001' },
  source: 'https://github.com/openai/codex/pull/19240; codex-rs/codex-mcp/src/mcp/mod.rs, codex-rs/core/src/connectors.rs',
  parts: { invokeCallsite: invokeWithChatgptOnlyAppsGate },
});
