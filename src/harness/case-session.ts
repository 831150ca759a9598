import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaseSetup, Session } from './implementation.js';
import type { SuiteContext } from './suite.js';

/** A fresh scratch CODEX_HOME for one case. */
export async function freshHome(ctx: SuiteContext, caseId: string): Promise<string> {
  const home = join(ctx.scratch, caseId.replace(/[^A-Za-z0-9._-]/g, '_'));
  await rm(home, { recursive: true, force: true });
  await mkdir(home, { recursive: true });
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

/** Why a case cannot run on this implementation, or undefined when it can. */
export function missingCapability(
  ctx: SuiteContext,
  needs: { readonly mode?: string; readonly callsites?: readonly string[]; readonly introspect?: readonly string[] },
): string | undefined {
  const caps = ctx.implementation.capabilities;
  if (needs.mode !== undefined && !caps.authModes.includes(needs.mode as never)) return `implementation does not support auth mode ${needs.mode}`;
  for (const c of needs.callsites ?? []) if (!caps.callsites.includes(c)) return `implementation does not offer callsite ${c}`;
  for (const i of needs.introspect ?? []) if (!caps.introspect.includes(i)) return `implementation does not volunteer introspection of ${i}`;
  return undefined;
}
