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

/**
 * Cloud requirements apply only to codex-backend auth on business-like and Enterprise plans
 * (codex-rs/cloud-requirements/src/lib.rs: `plan_type.is_business_like() || Enterprise`;
 * business-like = business, enterprise_cbp_usage_based, and later ent26, enterprise_cbp_automation).
 */
const REQUIREMENTS_PLANS: ReadonlySet<string> = new Set(['business', 'enterprise_cbp_usage_based', 'ent26', 'enterprise_cbp_automation', 'enterprise']);

export function requireBusinessOrEnterprise(auth: CodexAuth): GateDecision {
  const backend = requireCodexBackend(auth, 'cloud requirements');
  if (!backend.allowed) return backend;
  const plan = planType(auth);
  if (plan === undefined || !REQUIREMENTS_PLANS.has(plan)) {
    return refuse(`cloud requirements only apply to business-like and enterprise plans (plan ${plan ?? 'unknown'})`);
  }
  return ALLOWED;
}
