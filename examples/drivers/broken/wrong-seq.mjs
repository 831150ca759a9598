// Answers an invoke of `fake.wrong-seq` with a seq that is not the request's.
import { serve } from './base.mjs';
serve((request, reply) => {
  if (request.cmd === 'invoke' && request.callsite === 'fake.wrong-seq') {
    reply({ seq: request.seq + 1000, outcome: { kind: 'sent', status: 200 } });
    return true;
  }
  return false;
});
