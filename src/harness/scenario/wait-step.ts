import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A `wait` step: `ms` of real time, or, with `untilRequests`, until the journal holds that many
 * requests (polled every 50 ms), whichever comes first.
 */
export async function waitFor(step: { readonly ms: number; readonly untilRequests?: number }, journalled: () => number): Promise<void> {
  if (step.untilRequests === undefined) return sleep(step.ms);
  const end = Date.now() + step.ms;
  while (journalled() < step.untilRequests && Date.now() < end) await sleep(Math.min(50, Math.max(1, end - Date.now())));
}
