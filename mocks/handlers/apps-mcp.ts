import type { HttpHandler } from 'msw';
import { backendPaths } from './paths.js';
import { accountOf, defineRoute, isObject, parseJsonBody, reply, type MockContext, type Reply, type RouteRequest } from './route.js';

/**
 * Codex Apps MCP server (JSON-RPC over streamable HTTP). Older clients use `{base}/wham/apps`
 * (`/backend-api`) or `{base}/apps`; newer ones `.../ps/mcp` on the same rule
 * (codex-rs/core mcp connection manager, codex_apps). tools/list answers the calling account's
 * tools, so a cache keyed by the wrong identity shows up as foreign tools.
 */
const PROTOCOL_VERSION = '2025-06-18';

function rpcError(id: unknown, code: number, message: string, status = 200): Reply {
  return reply.json({ jsonrpc: '2.0', id: id ?? null, error: { code, message } }, { status });
}

function answer(req: RouteRequest): Reply {
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok) return rpcError(null, -32700, 'Parse error: the body is not JSON.', 400);
  const msg = parsed.value;
  if (!isObject(msg) || msg['jsonrpc'] !== '2.0' || typeof msg['method'] !== 'string') {
    return rpcError(isObject(msg) ? msg['id'] : null, -32600, 'Invalid Request: expected a JSON-RPC 2.0 object.', 400);
  }
  const id = msg['id'];
  const account = accountOf(req);
  switch (msg['method']) {
    case 'initialize':
      return reply.json(
        {
          jsonrpc: '2.0',
          id,
          result: {
            protocolVersion: PROTOCOL_VERSION,
            capabilities: { tools: { listChanged: false } },
            serverInfo: { name: 'codex-apps-mock', version: '0.1.0' },
          },
        },
        { headers: { 'mcp-session-id': `mcp-${req.ctx.backend.now().toString(36)}` } },
      );
    case 'notifications/initialized':
      return reply.empty({ status: 202 });
    case 'tools/list':
      return reply.json({ jsonrpc: '2.0', id, result: { tools: account?.appsTools ?? [] } });
    case 'tools/call': {
      const params = isObject(msg['params']) ? msg['params'] : {};
      const tool = account?.appsTools.find((t) => t.name === params['name']);
      if (tool === undefined) return rpcError(id, -32602, 'Unknown tool for this account.');
      return reply.json({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `${tool.name} ok` }], isError: false } });
    }
    default:
      return rpcError(id, -32601, 'Method not found.');
  }
}

export function appsMcpHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...defineRoute(ctx, {
      endpoint: 'apps.mcp',
      method: 'POST',
      paths: backendPaths({ wham: ['/wham/apps', '/ps/mcp'], codexApi: ['/apps', '/ps/mcp'] }),
      auth: 'codexBackend',
      handle: answer,
    }),
    ...defineRoute(ctx, {
      endpoint: 'apps.mcp.stream',
      method: 'GET',
      paths: backendPaths({ wham: ['/wham/apps', '/ps/mcp'], codexApi: ['/apps', '/ps/mcp'] }),
      auth: 'codexBackend',
      handle: () => reply.empty({ status: 405, headers: { allow: 'POST' } }),
    }),
  ];
}
