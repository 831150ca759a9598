// Starts and configures correctly, declaring real auth modes and callsites, then answers every
// invoke with an HTML error page instead of JSON (a proxy in the way), after logging a line to
// stderr that holds a credential. The harness must report errors with the reason and a
// fingerprinted stderr excerpt, never skips.
import { serve } from './base.mjs';
serve((request, reply) => {
  if (request.cmd === 'start') {
    reply({
      seq: request.seq,
      version: 1,
      implementation: { name: 'garbage-invoke', version: '0.0.1', language: 'javascript' },
      capabilities: { authModes: ['apiKey', 'chatgpt'], callsites: ['cloud-tasks.list', 'core.responses'], introspect: [] },
    });
    return true;
  }
  if (request.cmd === 'invoke') {
    process.stderr.write(`upstream said 502 for Authorization: Bearer sk-live-garbage-invoke-0123456789\n`);
    process.stdout.write('<html>502 Bad Gateway</html>\n');
    return true;
  }
  return false;
}, 'garbage-invoke');
