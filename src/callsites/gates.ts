import { planType, usesCodexBackend } from '../auth/auth-getters.js';
import type { CodexAuth } from '../auth/codex-auth.js';
import type { GateContext, GateDecision } from './callsite.js';

/** Shared gate helpers: each real caller's check, expressed over the generic getters. */
export const ALLOWED: GateDecision = { allowed: true };

export function refuse(reason: string): GateDecision {
  return { allowed: false, reason };
}

/** `auth.uses_codex_backend()`: every caller migrated by PR #18811 except model traffic. */
export function requireCodexBackend(auth: CodexAuth, what: string): GateDecision {
  return usesCodexBackend(auth) ? ALLOWED : refuse(`${what} requires Codex backend auth (mode ${auth.mode} does not use it)`);
}

/** The Apps gate: `apps_enabled && auth.uses_codex_backend()` (was `is_chatgpt_auth`). */
export function requireAppsEnabled(auth: CodexAuth, ctx: GateContext | undefined): GateDecision {
  if (ctx?.appsEnabled !== true) return refuse('Codex Apps are disabled in config (apps_enabled = false)');
  return requireCodexBackend(auth, 'Codex Apps');
}

/** Cloud requirements apply only to Business and Enterprise workspaces. */
export function requireBusinessOrEnterprise(auth: CodexAuth): GateDecision {
  const backend = requireCodexBackend(auth, 'cloud requirements');
  if (!backend.allowed) return backend;
  const plan = planType(auth);
  if (plan !== 'business' && plan !== 'enterprise') {
    return refuse(`cloud requirements only apply to business/enterprise plans (plan ${plan ?? 'unknown'})`);
  }
  return ALLOWED;
}
