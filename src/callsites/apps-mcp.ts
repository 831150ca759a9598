import { appsMcpUrl } from '../urls/derived-urls.js';
import type { Callsite } from './callsite.js';
import { requireAppsEnabled } from './gates.js';

/**
 * MCP Apps and connectors: the host-owned `codex_apps` MCP server lists its tools, JSON-RPC
 * `tools/list` POSTed to the Apps MCP URL (0.171.0: `{base}/ps/mcp`). Gate:
 * `apps_enabled && auth.uses_codex_backend()` (codex-rs/core/src/mcp/mod.rs,
 * `host_owned_codex_apps_enabled`). Results go through the Apps tools cache (src/cache/).
 */
export const appsMcpToolsList: Callsite = {
  id: 'apps-mcp.tools-list',
  title: 'Codex Apps MCP lists tools',
  method: 'POST',
  target: 'chatgptBackend',
  path: (style) => (style === 'wham' ? '/ps/mcp' : '/api/codex/ps/mcp'),
  url: (bases, _auth, profile) => appsMcpUrl(bases.chatgptBaseUrl ?? 'https://chatgpt.com/backend-api/', profile.appsMcp),
  gate: (auth, ctx) => requireAppsEnabled(auth, ctx),
  source: 'codex-rs/core/src/mcp/mod.rs, codex-rs/codex-mcp/src/mcp/mod.rs, codex-rs/chatgpt/src/connectors.rs',
  body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
};
