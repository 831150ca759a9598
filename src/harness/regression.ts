/**
 * Known bugs as data (scenarios/regressions/*.json, schema schemas/regression.schema.json) and
 * their replay. A regression names the rule it breaks, the implementation that reproduces it by
 * default (usually a mutant) and one concrete scenario; replaying it against a conforming
 * implementation gives `pass`, against the buggy one `fail`. A saved failure
 * (`{impl, rules, seed, path}`) replays a counterexample a run printed.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chatgptBaseUrlFor, type BaseUrlVariant } from '../../scenarios/arbitraries/base-url.js';
import { DEFAULT_PROFILE, type ProfileId } from '../rules/profiles.js';
import { assertNever } from '../assert-never.js';
import { APPS_MCP_CALLSITE_ID } from '../callsites/invoke.js';
import { CALLSITE_IDS } from '../callsites/catalog.js';
import { ConformanceInputError } from '../errors.js';
import { ruleById } from '../rules/catalogue.js';
import { fail, pass, type RuleResult } from '../rules/result.js';
import { formatIssues } from './driver/driver-schemas.js';
import { SchemaRegistry } from './driver/schema-subset.js';
import { seedAuth, describeAuthSpec, type AuthSpec } from './auth-spec.js';
import { scratchRoot } from './scratch-root.js';
import { freshHome } from './case-session.js';
import type { Implementation, Session } from './implementation.js';
import type { MockControl } from './mock-control.js';
import type { CaseResult, RunReport } from './results.js';
import { runConformance } from './runner.js';
import { parseImplArg, selectImplementation, type SelectOptions } from './select-implementation.js';
import type { SuiteContext } from './suite.js';
import { toCaseResults } from './suite.js';
import { ALL_SUITES } from './suites/index.js';
import { executeRequestCase } from './suites/requests-suite.js';

export type RegressionScenario =
  | {
      readonly kind: 'request';
      readonly auth: AuthSpec;
      readonly callsite: string;
      readonly base: BaseUrlVariant;
      readonly appsEnabled: boolean;
      readonly expectedVerdict: 'pass';
    }
  | {
      readonly kind: 'identitySwitch';
      readonly identities: readonly AuthSpec[];
      readonly base: BaseUrlVariant;
      readonly restartBetween: boolean;
      readonly expectedVerdict: 'pass';
    };

export interface Regression {
  readonly kind: 'regression';
  readonly id: string;
  readonly title: string;
  readonly rule: string;
  readonly description: string;
  readonly source: readonly string[];
  /** `--impl` words of the implementation that reproduces the bug. */
  readonly implementation: string;
  /** The contract profile the rule is judged under (default: the newest). */
  readonly profile?: ProfileId;
  readonly scenario: RegressionScenario;
}

export interface SavedFailure {
  readonly kind: 'savedFailure';
  readonly impl: string;
  /** Comma-separated rule ids or prefixes, as `--rules` takes them. */
  readonly rules: string;
  readonly seed: number;
  readonly path?: string;
  /** The contract profile of the run that printed it (`--profile`); default the newest. */
  readonly profile?: ProfileId;
  /** fast-check's command replay log of a model-based failure. */
  readonly replayPath?: string;
  /** Paths run first on the same driver process (`--after-path`): a failure that needed process history. */
  readonly afterPaths?: readonly string[];
}

export type RegressionFile = Regression | SavedFailure;

export const REGRESSION_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/regression.schema.json', import.meta.url));
const SCHEMA_ID = 'https://codex-auth-conformance.invalid/schemas/regression.schema.json';
/** Replays on one mock get distinct case ids, so their journals never mix. */
let replayCounter = 0;
/** Rules an identitySwitch scenario judges (what the Apps listing after a switch shows). */
const SWITCH_RULES = ['CACHE.SWITCH.001', 'CACHE.SWITCH.002'];

let registry: SchemaRegistry | undefined;
function schemas(): SchemaRegistry {
  if (registry === undefined) {
    const loaded = new SchemaRegistry();
    loaded.add(JSON.parse(readFileSync(REGRESSION_SCHEMA_PATH, 'utf8')) as Record<string, unknown>);
    registry = loaded;
  }
  return registry;
}

function bad(source: string, problem: string, fix: string): ConformanceInputError {
  return new ConformanceInputError('BAD_SCENARIO', `${source}: ${problem}`, fix);
}

/** Validates parsed JSON as a regression or a saved failure; `source` names it in errors. */
export function parseRegression(value: unknown, source: string): RegressionFile {
  const issues = schemas().validate(SCHEMA_ID, value);
  if (issues.length > 0) {
    throw bad(source, `does not match schemas/regression.schema.json (${formatIssues(issues.slice(0, 5)).slice(0, 600)}).`, 'write a regression {id, title, rule, description, source, implementation, scenario} or a saved failure {impl, rules, seed, path}; see scenarios/regressions/ for examples.');
  }
  const record = value as Record<string, unknown>;
  if ('impl' in record) {
    const saved = record as unknown as Omit<SavedFailure, 'kind'>;
    checkImpl(saved.impl, source);
    return { kind: 'savedFailure', impl: saved.impl, rules: saved.rules, seed: saved.seed, ...(saved.path !== undefined ? { path: saved.path } : {}), ...(saved.replayPath !== undefined ? { replayPath: saved.replayPath } : {}), ...(saved.afterPaths !== undefined ? { afterPaths: saved.afterPaths } : {}), ...(saved.profile !== undefined ? { profile: saved.profile } : {}) };
  }
  const { $schema: _ignored, ...rest } = record;
  const reg = { kind: 'regression', ...rest } as Regression;
  if (ruleById(reg.rule) === undefined) {
    throw bad(source, `rule ${reg.rule} is not in the rule catalogue.`, 'name a rule listed by `codex-auth-conformance rules`.');
  }
  checkImpl(reg.implementation, source);
  const scenario = reg.scenario;
  switch (scenario.kind) {
    case 'request':
      if (!CALLSITE_IDS.includes(scenario.callsite)) {
        throw bad(source, `callsite ${JSON.stringify(scenario.callsite.slice(0, 80))} is not in the catalogue.`, `use one of: ${CALLSITE_IDS.join(', ')}.`);
      }
      break;
    case 'identitySwitch':
      if (!SWITCH_RULES.includes(reg.rule)) {
        throw bad(source, `an identitySwitch scenario judges ${SWITCH_RULES.join(' or ')}, not ${reg.rule}.`, `set "rule" to ${SWITCH_RULES.join(' or ')} (what the Apps listing after the switch shows).`);
      }
      if (scenario.identities.some((i) => i.mode === 'apiKey')) {
        throw bad(source, 'an identitySwitch scenario lists an apiKey identity, which has no Codex Apps.', 'use chatgpt, chatgptAuthTokens or agentIdentity identities.');
      }
      break;
    default:
      return assertNever(scenario, 'regression scenario');
  }
  return reg;
}

function checkImpl(impl: string, source: string): void {
  try {
    parseImplArg(impl);
  } catch (e) {
    throw bad(source, `implementation ${JSON.stringify(impl.slice(0, 80))} is not an --impl value (${e instanceof Error ? e.message : String(e)})`, 'use reference, mutant:<name>, driver:<command> or codex-cli[:<version>].');
  }
}

/** Reads and validates a regression (or saved failure) file; BAD_SCENARIO for anything wrong. */
export async function loadRegression(path: string): Promise<RegressionFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw bad(path, `cannot be read (${(e as { code?: string }).code ?? 'error'}).`, 'pass the path of a regression JSON file, e.g. scenarios/regressions/pr18811-apps-manager-default-base-url.json.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad(path, 'is not JSON.', 'fix the JSON syntax (a regression file is one JSON object).');
  }
  return parseRegression(value, path);
}

/**
 * Replays a regression's scenario against `implementation` on `mock` and judges the regression's
 * rule: one CaseResult per judgement (`pass` on a conforming implementation).
 */
export async function replayRegression(reg: Regression, implementation: Implementation, mock: MockControl): Promise<CaseResult[]> {
  const scratch = await mkdtemp(join(scratchRoot(), 'codex-auth-regression-'));
  const ctx: SuiteContext = { implementation, mock, seed: 0, runs: 1, scratch, implArg: implementation.name, profile: reg.profile ?? DEFAULT_PROFILE };
  replayCounter += 1;
  const caseId = `regression-${reg.id}-${replayCounter}`;
  const started = performance.now();
  try {
    const scenario = reg.scenario;
    let raw: RuleResult[];
    switch (scenario.kind) {
      case 'request':
        raw = await executeRequestCase(ctx, { auth: scenario.auth, callsiteId: scenario.callsite, base: { host: 'mock', spelling: scenario.base }, appsEnabled: scenario.appsEnabled, openaiBase: true, agentOverrides: 'pair' }, caseId);
        break;
      case 'identitySwitch':
        raw = await executeIdentitySwitch(ctx, reg.rule, scenario, caseId);
        break;
      default:
        return assertNever(scenario, 'regression scenario');
    }
    const results = toCaseResults({ rules: [reg.rule] }, caseId, raw, Math.round(performance.now() - started));
    if (results.length === 0) {
      return [{ type: 'case', ruleId: reg.rule, caseId, verdict: 'skip', message: `${reg.rule} was not judged by this scenario`, durationMs: Math.round(performance.now() - started) }];
    }
    return results;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** One process, one CODEX_HOME: log in as each identity in turn and list Codex Apps tools. */
async function executeIdentitySwitch(ctx: SuiteContext, rule: string, scenario: Extract<RegressionScenario, { kind: 'identitySwitch' }>, caseId: string): Promise<RuleResult[]> {
  const urls = ctx.mock.beginCase(caseId);
  const home = await freshHome(ctx, caseId);
  const config = { chatgptBaseUrl: chatgptBaseUrlFor(urls, scenario.base), openaiBaseUrl: urls.openai, appsEnabled: true };
  const results: RuleResult[] = [];
  let session: Session | undefined;
  try {
    for (const [index, spec] of scenario.identities.entries()) {
      const seeded = await seedAuth(ctx.mock.backend, spec, { caseId });
      if (session !== undefined && scenario.restartBetween) {
        await session.stop();
        session = undefined;
      }
      // After a restart the next identity must meet a new process (memory gone): freshProcess.
      session ??= await ctx.implementation.start({ freshProcess: scenario.restartBetween && index > 0 });
      await session.configure({ caseId, home, ...seeded.setup, config });
      const outcome = await session.invoke(APPS_MCP_CALLSITE_ID);
      const wanted = ctx.mock.backend.accounts.get(seeded.accountId ?? '')?.appsTools.map((t) => t.name) ?? [];
      const body = outcome.kind === 'sent' ? (outcome.body as { result?: { tools?: unknown } } | undefined) : undefined;
      const tools = body?.result?.tools;
      const got = Array.isArray(tools) ? tools.map((t) => String((t as { name?: unknown }).name)) : undefined;
      const label = `identity #${index} (${describeAuthSpec(spec)})`;
      if (got !== undefined && got.length === wanted.length && got.every((n, i) => n === wanted[i])) {
        results.push(pass(rule, `${rule} ${label} listed its own Codex Apps tools`, caseId));
      } else {
        results.push(fail(rule, `Codex Apps tools for ${label}`, JSON.stringify(wanted), got === undefined ? `${outcome.kind}, no tools list` : JSON.stringify(got), caseId));
      }
    }
  } finally {
    await session?.stop();
    ctx.mock.endCase();
  }
  return results;
}

/** Replays a saved failure: the printed `run --impl --rules --seed --path` command, as data. */
export async function replaySavedFailure(saved: SavedFailure, mock: MockControl, opts: SelectOptions & { readonly implementation?: Implementation } = {}): Promise<RunReport> {
  // The reference and its mutants behave as the profile the failure was printed under.
  const profile = saved.profile ?? opts.profile;
  const implementation = opts.implementation ?? (await selectImplementation(saved.impl, { ...opts, ...(profile !== undefined ? { profile } : {}) }));
  return runConformance({
    implementation,
    mock,
    ...(profile !== undefined ? { profile } : {}),
    suites: ALL_SUITES,
    rulePrefixes: saved.rules.split(',').map((r) => r.trim()).filter((r) => r !== ''),
    seed: saved.seed,
    implArg: saved.impl,
    ...(saved.path !== undefined ? { path: saved.path } : {}),
    ...(saved.replayPath !== undefined ? { replayPath: saved.replayPath } : {}),
    ...(saved.afterPaths !== undefined ? { afterPaths: saved.afterPaths } : {}),
  });
}
