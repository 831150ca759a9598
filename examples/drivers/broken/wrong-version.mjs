// Claims protocol version 3 (this harness speaks 1 and 2) in its start response.
import { serve } from './base.mjs';
serve((request, reply) => {
  if (request.cmd === 'start') {
    reply({ seq: request.seq, version: 3, implementation: { name: 'v3', version: '0', language: 'javascript' }, capabilities: { authModes: [], callsites: [], introspect: [] } });
    return true;
  }
  return false;
});
