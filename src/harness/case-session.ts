import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSetup, Session } from './implementation.js';
import type { SuiteContext } from './suite.js';

/**
 * A fresh, empty scratch CODEX_HOME for one case (case ids are unique in a run; a leftover is
 * removed). Synchronous: one mkdir in the run's scratch directory (a memory file system where
 * there is one, scratch-root.ts) costs less than a thread-pool round trip.
 */
export async function freshHome(ctx: SuiteContext, caseId: string): Promise<string> {
  const home = join(ctx.scratch, caseId.replace(/[^A-Za-z0-9._-]/g, '_'));
  try {
    mkdirSync(home);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
  }
  return home;
}

/** Starts a session (one "process" of the implementation), configures it, runs `fn`, stops it. */
export async function withSession<T>(ctx: SuiteContext, setup: CaseSetup, fn: (session: Session) => Promise<T>): Promise<T> {
  const session = await ctx.implementation.start();
  try {
    await session.configure(setup);
    return await fn(session);
  } finally {
    await session.stop();
  }
}

/**
 * Why a case cannot run on this implementation (every capability it lacks, `; `-separated), or
 * undefined when it can. Each rule's line is narrowed to its own gap later (rule-needs.ts `ownGap`).
 */
export function missingCapability(
  ctx: SuiteContext,
  needs: { readonly mode?: string; readonly callsites?: readonly string[]; readonly introspect?: readonly string[] },
): string | undefined {
  const caps = ctx.implementation.capabilities;
  const gaps: string[] = [];
  if (needs.mode !== undefined && !caps.authModes.includes(needs.mode as never)) gaps.push(`implementation does not support auth mode ${needs.mode}`);
  for (const c of needs.callsites ?? []) if (!caps.callsites.includes(c)) gaps.push(`implementation does not offer callsite ${c}`);
  for (const i of needs.introspect ?? []) if (!caps.introspect.includes(i)) gaps.push(`implementation does not volunteer introspection of ${i}`);
  return gaps.length === 0 ? undefined : gaps.join('; ');
}
