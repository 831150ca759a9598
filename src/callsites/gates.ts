import { planType, usesCodexBackend } from '../auth/auth-getters.js';
import type { ClientProfile } from '../auth/client-profile.js';
import type { CodexAuth } from '../auth/codex-auth.js';
import type { GateContext, GateDecision } from './callsite.js';

/** Shared gate helpers: each real caller's check, expressed over the generic getters. */
export const ALLOWED: GateDecision = { allowed: true };

export function refuse(reason: string): GateDecision {
  // Stryker disable next-line ObjectLiteral: equivalent, a decision without `allowed: true` is a refusal to every caller (they test `!decision.allowed`), and the reason is message text
  return { allowed: false, reason };
}

/** `auth.uses_codex_backend()`: every caller migrated by PR #18811 except model traffic. */
export function requireCodexBackend(auth: CodexAuth, what: string): GateDecision {
  // Stryker disable next-line StringLiteral: message text, not judged
  return usesCodexBackend(auth) ? ALLOWED : refuse(`${what} requires Codex backend auth (mode ${auth.mode} does not use it)`);
}

/** The Apps gate: `apps_enabled && auth.uses_codex_backend()` (was `is_chatgpt_auth`). */
export function requireAppsEnabled(auth: CodexAuth, ctx: GateContext | undefined): GateDecision {
  // Stryker disable next-line StringLiteral,OptionalChaining: the string is message text, not judged; `ctx.appsEnabled` is equivalent, unreachable without a context (the one caller, invoke.ts, always passes one)
  if (ctx?.appsEnabled !== true) return refuse('Codex Apps are disabled in config (apps_enabled = false)');
  // Stryker disable next-line StringLiteral: message text, not judged
  return requireCodexBackend(auth, 'Codex Apps');
}

/**
 * Cloud requirements apply only to codex-backend auth on business-like and Enterprise plans
 * (codex-rs/cloud-requirements/src/lib.rs: `plan_type.is_business_like() || Enterprise`;
 * business-like = business, enterprise_cbp_usage_based, and later ent26, enterprise_cbp_automation:
 * the profile's `requirementsPlans`).
 */
export function requireBusinessOrEnterprise(auth: CodexAuth, profile: ClientProfile): GateDecision {
  // Stryker disable next-line StringLiteral: message text, not judged
  const backend = requireCodexBackend(auth, 'cloud requirements');
  // Stryker disable next-line ConditionalExpression: equivalent for `false`, every mode that does not use the codex backend (API key, Bedrock) has no plan, so the plan check below refuses it as well (the `true` variant, killed, is ignored with it)
  if (!backend.allowed) return backend;
  const plan = planType(auth);
  if (!profile.requirementsPlans.some((p) => p === plan)) {
    // Stryker disable next-line StringLiteral,LogicalOperator: message text, not judged
    return refuse(`cloud requirements only apply to business-like and enterprise plans (plan ${plan ?? 'unknown'})`);
  }
  return ALLOWED;
}
