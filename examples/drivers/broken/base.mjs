// A minimal driver protocol v1 server (docs/driver-protocol.md) used by the broken drivers in this
// directory and by the adapter tests. It implements no auth at all: every invoke answers `sent`
// 200 with a body naming the callsite, the configured case and this process, so tests can see
// which process served which request (and that `configure` was replayed after a restart).
// `misbehave(request, reply)` may return true to take over the response to a request.
import { createInterface } from 'node:readline';

export const FAKE_CALLSITES = ['fake.ok', 'fake.crash', 'fake.hang', 'fake.garbage', 'fake.wrong-seq', 'fake.unsolicited', 'fake.refuse', 'fake.skip'];

export function serve(misbehave = () => false, name = 'fake-driver') {
  let caseId;
  const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    const request = JSON.parse(line);
    if (misbehave(request, reply)) return;
    switch (request.cmd) {
      case 'start':
        reply({
          seq: request.seq,
          version: 1,
          implementation: { name, version: '0.0.1', language: 'javascript' },
          capabilities: { authModes: ['apiKey'], callsites: FAKE_CALLSITES, introspect: ['pid'] },
        });
        break;
      case 'configure':
        caseId = request.setup.caseId;
        reply({ seq: request.seq, ok: true });
        break;
      case 'invoke':
        if (request.callsite === 'fake.refuse') {
          reply({ seq: request.seq, outcome: { kind: 'refused', reason: 'gate says no' } });
        } else if (request.callsite === 'fake.skip') {
          reply({ seq: request.seq, outcome: { kind: 'skipped', reason: 'not supported', link: 'https://example.invalid/issue/1' } });
        } else {
          reply({ seq: request.seq, outcome: { kind: 'sent', status: 200, body: { callsite: request.callsite, caseId, pid: process.pid } } });
        }
        break;
      case 'introspect':
        reply({ seq: request.seq, value: process.pid });
        break;
      case 'stop':
        reply({ seq: request.seq, ok: true });
        rl.close();
        process.exit(0);
        break;
      default:
        reply({ seq: request.seq, error: { message: `unknown cmd ${request.cmd}` } });
    }
  });
}
