/**
 * The public API of codex-auth-conformance: the reference implementation, the rule catalogue and
 * checkers, the conformance engine and its adapters, and the reporters. The mock backend has its
 * own barrel (mocks/index.ts).
 */
export { AUTH_MODES, type AuthMode, type CodexAuth, type AgentIdentityClaims, type IdTokenInfo } from './auth/codex-auth.js';
export type { AuthProvider } from './auth/auth-provider.js';
export { authProviderFor } from './auth/auth-provider-for.js';
export { AuthManager } from './auth/auth-manager.js';
export type { AuthManagerConfig } from './auth/auth-manager-config.js';
export { loadAuth } from './auth/load-auth.js';
export { accountId, chatgptUserId, isChatgptAuth, isFedrampAccount, isWorkspaceAccount, planType, usesCodexBackend } from './auth/auth-getters.js';
export { parseAuthJson, readAuthJson, writeAuthJsonAtomic } from './auth/auth-json.js';
export { verifyAgentIdentityJwt } from './auth/agent-identity/identity-jwt.js';
export { buildAgentAssertion } from './auth/agent-identity/agent-assertion.js';
export { registerAgentTask } from './auth/agent-identity/task-registration.js';
export { normalizeChatgptBaseUrl } from './urls/normalize-chatgpt-base-url.js';
export { pathStyleFor } from './urls/path-style.js';
export { CALLSITES, CALLSITE_IDS, callsiteById } from './callsites/catalog.js';
export type { Callsite, PathStyle } from './callsites/callsite.js';
export { invokeCallsite } from './callsites/invoke.js';
export { AppsToolsCache, appsToolsCacheKey } from './cache/apps-tools-cache.js';
export { RULES, ruleById } from './rules/catalogue.js';
export type { Rule, RuleArea, RuleLevel, Verdict } from './rules/rule.js';
export type { ObservedRequest, CredentialAttribution, TokenLineage, RefreshLineage, IssuedLineage } from './rules/observed-request.js';
export { judgeShareScenario, SHARE_RULES, type ShareScenarioInput, type ShareStep, type AuthJsonState } from './rules/check-share.js';
export { expectRequest, type Expectation } from './rules/expectations.js';
export { checkObserved, checkJournal, harToObserved, type RuleResult } from './rules/check.js';
export type { Implementation, Session, CaseSetup, Outcome, Capabilities } from './harness/implementation.js';
export { referenceImplementation, REFERENCE_PARTS, type ReferenceParts } from './harness/reference-implementation.js';
export { selectImplementation } from './harness/select-implementation.js';
export { driverImplementation, smoke } from './harness/driver/driver-implementation.js';
export { runConformance, selectRules, type RunOptions } from './harness/runner.js';
export { ALL_SUITES } from './harness/suites/index.js';
export type { Suite, SuiteContext } from './harness/suite.js';
export { inProcessMockControl } from './harness/in-process-mock-control.js';
export { portMockControl } from './harness/port-mock-control.js';
export type { MockControl, MockUrls } from './harness/mock-control.js';
export { reporterFor, REPORTER_NAMES, type ReporterName } from './harness/reporters/index.js';
export { mergeReports, parseResultsNdjson, parseResultsStreams, summarize, toNdjson, type CaseResult, type RunReport, type RunFooter, type RunHeader } from './harness/results.js';
export { renderRuns } from './harness/reporters/render-runs.js';
export { diffRuns } from './harness/diff-results.js';
export { loadExpectationFile, applyExpectations, type ExpectationFile } from './harness/expectation-file.js';
export { readCodexConfig, type CodexConfig } from './config/codex-config.js';
export { checkDestination, isLoopbackHost, type NetworkPolicy } from './net/network-policy.js';
export { ConformanceInputError, isInputError, type InputErrorCode } from './errors.js';
export { fingerprint } from './redact/fingerprint.js';
