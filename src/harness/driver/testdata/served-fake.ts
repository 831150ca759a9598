/** A fake in-process Implementation served over the protocol by serveImplementation (for tests). */
import type { Implementation, Outcome } from '../../implementation.js';
import { serveImplementation } from '../serve-implementation.js';

// `gate` answers only once an `open` invoke arrived (or errors after 3 s): it completes only when
// the harness sends invokes concurrently (protocol version 2).
let open: () => void = () => undefined;
const opened = new Promise<void>((resolve) => (open = resolve));

const fake: Implementation = {
  name: 'served-fake',
  version: '9.9.9',
  capabilities: { authModes: ['apiKey'], callsites: ['ok', 'throws', 'skip', 'gate', 'open'], introspect: ['caseId', 'pid'] },
  async start() {
    // Per session, as a new process would have it: `reset` starts a new session.
    let caseId = '';
    return {
      async configure(setup) {
        if (setup.caseId === 'bad') throw new Error('cannot configure case bad');
        caseId = setup.caseId;
      },
      async invoke(id): Promise<Outcome> {
        if (id === 'throws') throw new Error('implementation blew up');
        if (id === 'skip') return { kind: 'skipped', reason: 'not here' };
        if (id === 'open') open();
        if (id === 'gate') {
          const waited = await Promise.race([opened.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
          return waited ? { kind: 'sent', status: 200 } : { kind: 'errored', message: 'gate never opened: the invokes did not run concurrently' };
        }
        return { kind: 'sent', status: 204 };
      },
      async introspect(what) {
        return what === 'pid' ? process.pid : caseId;
      },
      async stop() {},
    };
  },
};

await serveImplementation(fake, { input: process.stdin, output: process.stdout, log: (l) => process.stderr.write(`${l}\n`) });
process.exit(0);
