// Never answers an invoke of `fake.hang` (and keeps running).
import { serve } from './base.mjs';
serve((request) => {
  if (request.cmd === 'invoke' && request.callsite === 'fake.hang') {
    setInterval(() => {}, 1 << 30);
    return true;
  }
  return false;
});
