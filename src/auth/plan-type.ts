/**
 * ChatGPT plan types as the Codex client classifies them.
 *
 * Sources (openai/codex):
 * - codex-rs/protocol/src/auth.rs: `KnownPlan` (lower-case wire names, serde aliases `hc` ->
 *   enterprise and `education` -> edu), `PlanType::from_raw_value` (case-insensitive, same aliases),
 *   `KnownPlan::is_workspace_account`.
 * - codex-rs/protocol/src/account.rs: `PlanType::is_workspace_account` = team-like
 *   (team, self_serve_business_usage_based) + business-like (business, enterprise_cbp_usage_based)
 *   + enterprise + edu.
 * - Older codex-rs/login/src/token_data.rs: `IdTokenInfo::is_workspace_account` = team | business |
 *   enterprise | edu (the usage-based plans did not exist yet).
 */
export const KNOWN_PLANS = [
  'free',
  'go',
  'plus',
  'pro',
  'prolite',
  'team',
  'self_serve_business_usage_based',
  'business',
  'enterprise_cbp_usage_based',
  'enterprise',
  'edu',
] as const;
export type KnownPlan = (typeof KNOWN_PLANS)[number];

export const WORKSPACE_PLANS: ReadonlySet<KnownPlan> = new Set<KnownPlan>([
  'team',
  'self_serve_business_usage_based',
  'business',
  'enterprise_cbp_usage_based',
  'enterprise',
  'edu',
]);

/** Raw values that the source maps onto a known plan besides the plan's own name. */
const PLAN_ALIASES: Readonly<Record<string, KnownPlan>> = { hc: 'enterprise', education: 'edu' };

function knownPlanOf(value: string): KnownPlan | undefined {
  if ((KNOWN_PLANS as readonly string[]).includes(value)) return value as KnownPlan;
  return Object.hasOwn(PLAN_ALIASES, value) ? PLAN_ALIASES[value] : undefined;
}

/**
 * A plan as carried in a JWT claim (serde deserialization: exact, case-sensitive, aliases
 * applied). Unknown values are kept verbatim, as `PlanType::Unknown(raw)` does.
 */
export function planTypeFromClaim(raw: string): string {
  return knownPlanOf(raw) ?? raw;
}

/**
 * A plan handed in by an embedding host (`PlanType::from_raw_value`: case-insensitive, aliases
 * applied). Unknown values are kept verbatim.
 */
export function planTypeFromRawValue(raw: string): string {
  return knownPlanOf(raw.toLowerCase()) ?? raw;
}

/** True for the plans the source counts as workspace (business/team/enterprise/edu) accounts. */
export function isWorkspacePlan(plan: string | undefined): boolean {
  if (plan === undefined) return false;
  const known = knownPlanOf(plan);
  return known !== undefined && WORKSPACE_PLANS.has(known);
}
