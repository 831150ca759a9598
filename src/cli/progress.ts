import type { CaseProgress } from '../harness/suite.js';
import type { CommandIo } from './command.js';

/**
 * Progress of a long run (`cases done/total` per suite) on the status line. `io.status` exists
 * only when stderr is a terminal (src/cli/main.ts), so CI logs and pipes stay free of it.
 */
export function caseProgress(io: CommandIo, minIntervalMs = 100): { onCase: (p: CaseProgress) => void; clear: () => void } {
  const status = io.status;
  if (status === undefined) return { onCase: () => undefined, clear: () => undefined };
  let last = 0;
  let shown = false;
  return {
    onCase(p) {
      if (p.phase !== 'search') return;
      const now = Date.now();
      if (now - last < minIntervalMs && p.done < p.total) return;
      last = now;
      shown = true;
      status(`… ${p.suite}: ${p.done}/${p.total} cases${p.round > 1 ? ` (round ${p.round}, looking for failures of other rules)` : ''}`);
    },
    clear() {
      if (shown) status('');
      shown = false;
    },
  };
}
