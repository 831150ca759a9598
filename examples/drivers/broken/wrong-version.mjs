// Claims protocol version 2 in its start response.
import { serve } from './base.mjs';
serve((request, reply) => {
  if (request.cmd === 'start') {
    reply({ seq: request.seq, version: 2, implementation: { name: 'v2', version: '0', language: 'javascript' }, capabilities: { authModes: [], callsites: [], introspect: [] } });
    return true;
  }
  return false;
});
