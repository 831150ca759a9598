// Answers an invoke of `fake.unsolicited` and then writes an extra line nobody asked for.
import { serve } from './base.mjs';
serve((request, reply) => {
  if (request.cmd === 'invoke' && request.callsite === 'fake.unsolicited') {
    reply({ seq: request.seq, outcome: { kind: 'sent', status: 200 } });
    process.stdout.write('{"seq": 0, "note": "unsolicited"}\n');
    return true;
  }
  return false;
});
