// Answers an invoke of `fake.garbage` with a line that is not JSON.
import { serve } from './base.mjs';
serve((request) => {
  if (request.cmd === 'invoke' && request.callsite === 'fake.garbage') {
    process.stdout.write('<html>502 Bad Gateway</html>\n');
    return true;
  }
  return false;
});
