// A deliberately wrong client: it ignores the configured ChatGPT base URL and sends to the
// production host instead, standing in for a client with a hard-coded `https://chatgpt.com`.
//   node default-host.mjs jwks   agent identity: fetches the JWKS from
//                                https://chatgpt.com/backend-api/wham/agent-identities/jwks
//   node default-host.mjs apps   ChatGPT tokens: lists Codex Apps tools at
//                                https://chatgpt.com/backend-api/ps/mcp
// Driver runs happen inside a loopback-only network namespace where the production hosts resolve
// to 127.0.0.1 and the mock answers them over TLS (run CA via NODE_EXTRA_CA_CERTS), so the request
// reaches the journal and is judged by its URL rule. Safety belt: it sends only when loopback is
// the only interface and chatgpt.com resolves to 127.0.0.1; otherwise it reports that it refused.
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { serve } from './base.mjs';

const variant = process.argv[2] === 'apps' ? 'apps' : 'jwks';
let setup;

async function isolated() {
  const onlyLoopback = Object.entries(networkInterfaces()).every(([name, addrs]) => name === 'lo' || (addrs ?? []).every((a) => a.internal));
  if (!onlyLoopback) return false;
  try {
    return (await lookup('chatgpt.com', { family: 4 })).address === '127.0.0.1';
  } catch {
    return false;
  }
}

async function attempt() {
  if (!(await isolated())) return { kind: 'errored', message: 'not isolated: refused to contact the production host' };
  try {
    if (variant === 'jwks') {
      const res = await fetch('https://chatgpt.com/backend-api/wham/agent-identities/jwks');
      await res.arrayBuffer();
      return { kind: 'errored', message: `fetched the JWKS from the default host (HTTP ${res.status}) and stopped` };
    }
    const tokens = JSON.parse(setup?.files?.['auth.json'] ?? '{}').tokens ?? {};
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token ?? ''}` };
    if (tokens.account_id) headers['chatgpt-account-id'] = tokens.account_id;
    const res = await fetch('https://chatgpt.com/backend-api/ps/mcp', {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    return { kind: 'sent', status: res.status, body: await res.json().catch(() => null) };
  } catch (e) {
    return { kind: 'errored', message: `${e.cause?.code ?? e.code ?? e.message}` };
  }
}

serve((request, reply) => {
  if (request.cmd === 'start') {
    reply({
      seq: request.seq,
      version: 1,
      implementation: { name: `default-host-${variant}`, version: '0.0.1', language: 'javascript' },
      capabilities:
        variant === 'jwks'
          ? { authModes: ['agentIdentity'], callsites: ['cloud-tasks.list'], introspect: [] }
          : { authModes: ['chatgpt'], callsites: ['apps-mcp.tools-list'], introspect: [] },
    });
    return true;
  }
  if (request.cmd === 'configure') {
    setup = request.setup;
    reply({ seq: request.seq, ok: true });
    return true;
  }
  if (request.cmd === 'invoke') {
    attempt().then((outcome) => reply({ seq: request.seq, outcome }));
    return true;
  }
  return false;
}, `default-host-${variant}`);
