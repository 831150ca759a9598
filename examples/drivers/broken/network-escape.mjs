// A driver that tries to reach a non-loopback address (192.0.2.1, TEST-NET-1) on every invoke,
// standing in for a client that ignores the configured base URL. It offers API-key Responses,
// a request the contract requires (an API key's model refresh is optional since 0.155.0). The harness runs drivers inside a
// network namespace with only loopback up, so the connect fails before any packet leaves; the
// driver reports the error as an `errored` outcome. Safety belt: it makes the attempt only when
// loopback is its only interface, and otherwise reports that it refused to try.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { serve } from './base.mjs';

const onlyLoopback = () => Object.entries(networkInterfaces()).every(([name, addrs]) => name === 'lo' || (addrs ?? []).every((a) => a.internal));

function attempt() {
  return new Promise((resolve) => {
    if (!onlyLoopback()) {
      resolve('not isolated: refused to attempt a non-loopback connection');
      return;
    }
    const socket = connect({ host: '192.0.2.1', port: 443, timeout: 2000 });
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected to 192.0.2.1:443 (isolation failed)');
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve('connect 192.0.2.1:443 timed out');
    });
    socket.on('error', (e) => resolve(`connect ${e.code ?? e.message} 192.0.2.1:443`));
  });
}

serve((request, reply) => {
  if (request.cmd === 'start') {
    reply({
      seq: request.seq,
      version: 1,
      implementation: { name: 'network-escape', version: '0.0.1', language: 'javascript' },
      capabilities: { authModes: ['apiKey'], callsites: ['core.responses'], introspect: [] },
    });
    return true;
  }
  if (request.cmd === 'invoke') {
    attempt().then((message) => reply({ seq: request.seq, outcome: { kind: 'errored', message } }));
    return true;
  }
  return false;
}, 'network-escape');
