// Answers invokes with an outcome that parses but breaks the schema (status out of range, extra field).
import { serve } from './base.mjs';
serve((request, reply) => {
  if (request.cmd === 'invoke') {
    reply({ seq: request.seq, outcome: { kind: 'sent', status: 42, extra: true } });
    return true;
  }
  return false;
});
