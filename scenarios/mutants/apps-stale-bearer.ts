import type { AuthProvider } from '../../src/auth/auth-provider.js';
import type { AuthSource } from '../../src/callsites/callsite.js';
import { APPS_MCP_CALLSITE_ID, invokeCallsite, type InvokeContext } from '../../src/callsites/invoke.js';
import { defineMutant } from './mutant.js';

/**
 * Codex Apps MCP keeps the provider it built first (a static bearer snapshot taken when the MCP
 * connection was made), so after a refresh its requests still carry the replaced access token
 * while other callsites use the new one: the bug PR #31486 fixed (2026-07-08; Apps MCP now
 * resolves auth per request through `AuthManagerAuthProvider`, codex-rs/model-provider/src/auth.rs).
 * Absent from pr18811 (#31486 is later; the rule belongs to codex-0.171 only).
 */
const snapshots = new WeakMap<AuthSource, Promise<AuthProvider>>();

function snapshotSource(source: AuthSource): AuthSource {
  return {
    auth: () => source.auth(),
    onUnauthorized: () => source.onUnauthorized(),
    provider: () => {
      let snapshot = snapshots.get(source);
      if (snapshot === undefined) {
        snapshot = source.provider();
        snapshots.set(source, snapshot);
      }
      return snapshot;
    },
  };
}

function invokeWithAppsSnapshot(id: string, ctx: InvokeContext): ReturnType<typeof invokeCallsite> {
  return invokeCallsite(id, id === APPS_MCP_CALLSITE_ID ? { ...ctx, source: snapshotSource(ctx.source) } : ctx);
}

export const appsStaleBearer = defineMutant({
  name: 'apps-stale-bearer',
  description: 'Codex Apps MCP keeps the bearer it was built with; after a refresh its requests still carry the replaced access token.',
  breaks: { 'codex-0.171': 'SHARE.APPS.001' },
  source: 'codex-rs/model-provider/src/auth.rs',
  parts: { invokeCallsite: invokeWithAppsSnapshot },
});
