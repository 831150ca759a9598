import { Faker, en } from '@faker-js/faker';

/**
 * Accounts the mock backend knows. Plan names and the workspace rule follow
 * codex-rs/login/src/token_data.rs and `PlanType::is_workspace_account` in codex-rs/protocol:
 * team, business, enterprise (also raw "hc") and edu/education are workspace plans.
 */
export const PLAN_TYPES = ['free', 'plus', 'pro', 'team', 'business', 'enterprise', 'edu'] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

const WORKSPACE_PLANS: ReadonlySet<string> = new Set(['team', 'business', 'enterprise', 'hc', 'edu', 'education']);

export function isWorkspacePlan(plan: string): boolean {
  return WORKSPACE_PLANS.has(plan);
}

export interface AppsTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: { readonly type: 'object'; readonly properties: Readonly<Record<string, unknown>> };
}

export interface CloudEnvironment {
  readonly id: string;
  readonly label: string;
}

export interface CloudTask {
  readonly id: string;
  readonly title: string;
  readonly environmentId: string;
  readonly createdAt: number;
}

/**
 * Every generated account also has this task, so a caller that fetches a fixed task id (the
 * chatgpt client callsite, src/callsites/chatgpt-client.ts) gets a 200 for its own account.
 */
export const WELL_KNOWN_TASK_ID = 'task_conformance_1';

export interface Account {
  readonly id: string;
  readonly chatgptUserId: string;
  readonly email: string;
  readonly name: string;
  readonly plan: PlanType;
  /**
   * The plan as the account's tokens, JWTs and whoami answer spell it, when a case needs another
   * spelling than `plan` (an alias such as `hc`, another case, a plan the mock does not model such
   * as `ent26`); absent: `plan` itself.
   */
  readonly planClaim?: string;
  readonly isWorkspace: boolean;
  readonly isFedramp: boolean;
  /** Codex Apps tools this account sees: deliberately different per account (cache isolation). */
  readonly appsTools: readonly AppsTool[];
  readonly environments: readonly CloudEnvironment[];
  readonly tasks: CloudTask[];
  /** `account_routing_override` answered by accounts/check. */
  readonly routingOverride: string | null;
}

export interface CreateAccountOptions {
  readonly id?: string;
  readonly chatgptUserId?: string;
  readonly email?: string;
  readonly plan?: PlanType;
  /** See Account.planClaim. */
  readonly planClaim?: string;
  readonly fedramp?: boolean;
  readonly appsTools?: readonly AppsTool[];
  readonly routingOverride?: string | null;
}

/** The plan value the account's tokens and answers carry. */
export function planClaimOf(account: Pick<Account, 'plan' | 'planClaim'>): string {
  return account.planClaim ?? account.plan;
}

export function createAccountFaker(seed: number): Faker {
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  return f;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'tool';
}

/** Tool names carry the account id so two accounts never share a tool list. */
export function generateAppsTools(f: Faker, accountId: string): AppsTool[] {
  const count = f.number.int({ min: 2, max: 4 });
  const tools: AppsTool[] = [];
  for (let i = 0; i < count; i++) {
    const product = f.commerce.productName();
    tools.push({
      name: `${slug(product)}_${accountId.slice(-6)}_${i}`,
      description: `${f.hacker.verb()} ${product} for ${accountId}`,
      inputSchema: { type: 'object', properties: { query: { type: 'string' } } },
    });
  }
  return tools;
}

export function generateAccount(f: Faker, opts: CreateAccountOptions, now: number): Account {
  const id = opts.id ?? f.string.uuid();
  const plan = opts.plan ?? f.helpers.arrayElement(PLAN_TYPES);
  const first = f.person.firstName();
  const last = f.person.lastName();
  const environments: CloudEnvironment[] = Array.from({ length: f.number.int({ min: 1, max: 3 }) }, () => ({
    id: `env_${f.string.alphanumeric(12)}`,
    label: `${f.word.adjective()}-${f.word.noun()}`,
  }));
  const tasks: CloudTask[] = [
    { id: WELL_KNOWN_TASK_ID, title: `conformance task of ${id}`, environmentId: (environments[0] as CloudEnvironment).id, createdAt: now },
  ];
  const extraTasks: CloudTask[] = Array.from({ length: f.number.int({ min: 0, max: 3 }) }, () => ({
    id: `task_e_${f.string.alphanumeric(16)}`,
    title: f.git.commitMessage(),
    environmentId: f.helpers.arrayElement(environments).id,
    createdAt: now - f.number.int({ min: 60_000, max: 86_400_000 }),
  }));
  tasks.push(...extraTasks);
  return {
    id,
    chatgptUserId: opts.chatgptUserId ?? `user-${f.string.alphanumeric(24)}`,
    email: opts.email ?? f.internet.email({ firstName: first, lastName: last }).toLowerCase(),
    name: `${first} ${last}`,
    plan,
    ...(opts.planClaim !== undefined ? { planClaim: opts.planClaim } : {}),
    isWorkspace: isWorkspacePlan(plan),
    isFedramp: opts.fedramp ?? false,
    appsTools: opts.appsTools ?? generateAppsTools(f, id),
    environments,
    tasks,
    routingOverride: opts.routingOverride === undefined ? 'NO_CONSTRAINT' : opts.routingOverride,
  };
}
