/** A fake in-process Implementation served over the protocol by serveImplementation (for tests). */
import type { Implementation, Outcome } from '../../implementation.js';
import { serveImplementation } from '../serve-implementation.js';

const fake: Implementation = {
  name: 'served-fake',
  version: '9.9.9',
  capabilities: { authModes: ['apiKey'], callsites: ['ok', 'throws', 'skip'], introspect: ['caseId', 'pid'] },
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
