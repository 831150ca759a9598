/**
 * One verdict of one rule on one case: the unit every checker returns. A conformance failure is
 * data, never an exception. Messages name the rule, the expected and the actual value, and never
 * a raw secret: callers pass values through `shown()` / fingerprint() first.
 */
import { fingerprint, redactAuthorization } from '../redact/fingerprint.js';
import type { Verdict } from './rule.js';

export interface RuleResult {
  readonly ruleId: string;
  readonly verdict: Verdict;
  readonly caseId?: string;
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
}

export function pass(ruleId: string, message: string, caseId?: string): RuleResult {
  return caseId === undefined ? { ruleId, verdict: 'pass', message } : { ruleId, verdict: 'pass', message, caseId };
}

export function skip(ruleId: string, message: string, caseId?: string): RuleResult {
  return caseId === undefined ? { ruleId, verdict: 'skip', message } : { ruleId, verdict: 'skip', message, caseId };
}

/** The implementation lacks a declared capability the rule needs (see `Verdict`). */
export function unsupported(ruleId: string, message: string, caseId?: string): RuleResult {
  return caseId === undefined ? { ruleId, verdict: 'unsupported', message } : { ruleId, verdict: 'unsupported', message, caseId };
}

/** A failed rule: the message is `<rule> <what>: expected <e>, got <a>`. */
export function fail(ruleId: string, what: string, expected: string, actual: string, caseId?: string): RuleResult {
  const message = `${ruleId} ${what}: expected ${expected}, got ${actual}`;
  const base = { ruleId, verdict: 'fail' as const, message, expected, actual };
  return caseId === undefined ? base : { ...base, caseId };
}

/** Header names whose values are credentials and are only ever shown fingerprinted. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'openai-api-key', 'agentassertion', 'agent-assertion', 'cookie']);

/** A header value fit for a message: credentials fingerprinted (scheme kept), others quoted. */
export function shownHeader(name: string, value: string | undefined): string {
  if (value === undefined) return '(absent)';
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') return JSON.stringify(redactAuthorization(value));
  if (SECRET_HEADERS.has(lower)) return JSON.stringify(fingerprint(value));
  return JSON.stringify(value);
}

/**
 * Folds results so each rule appears once: a rule with any failure is reported by its failures
 * only; `expectedRules` that neither failed nor were otherwise reported get one pass.
 */
export function withPasses(
  failures: readonly RuleResult[],
  expectedRules: readonly string[],
  passMessage: (ruleId: string) => string,
  caseId?: string,
): RuleResult[] {
  const reported = new Set(failures.map((r) => r.ruleId));
  const out = [...failures];
  for (const id of expectedRules) {
    if (!reported.has(id)) {
      out.push(pass(id, passMessage(id), caseId));
      reported.add(id);
    }
  }
  return out;
}

/**
 * Collects one verdict per rule for one case: every failure is kept, and a rule without failures
 * gets one pass (the first message given for it; `namePasses` puts the rule id in front of it).
 * Used by the judges that read a whole recording (the real-CLI and ecosystem judges).
 */
export class RuleVerdicts {
  private readonly failures: RuleResult[] = [];
  private readonly passes = new Map<string, string>();
  constructor(
    private readonly caseId: string,
    private readonly namePasses = false,
  ) {}
  fail(ruleId: string, what: string, expected: string, actual: string): void {
    this.failures.push(fail(ruleId, what, expected, actual, this.caseId));
  }
  pass(ruleId: string, message: string): void {
    if (!this.passes.has(ruleId)) this.passes.set(ruleId, this.namePasses ? `${ruleId} ${message}` : message);
  }
  results(): RuleResult[] {
    const failed = new Set(this.failures.map((f) => f.ruleId));
    return [...this.failures, ...[...this.passes].filter(([id]) => !failed.has(id)).map(([id, m]) => pass(id, m, this.caseId))];
  }
}
