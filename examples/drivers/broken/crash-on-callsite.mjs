// Exits with status 3 when asked to invoke `fake.crash`.
import { serve } from './base.mjs';
serve((request) => {
  if (request.cmd === 'invoke' && request.callsite === 'fake.crash') process.exit(3);
  return false;
});
