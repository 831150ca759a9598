/** Public surface of the mock Codex backend (msw handlers, in process or on a loopback port). */
export { startInProcessMock, PRODUCTION_ORIGINS, type InProcessMock, type InProcessMockOptions, type BaseUrls } from './in-process.js';
export { startHttpMock, type HttpMock, type HttpMockOptions } from './http-bridge.js';
export { MockBackend } from './state/mock-backend.js';
export type { ChatgptTokens, AgentIdentityFixture } from './state/issued-records.js';
export type { MockBackendOptions } from './state/mock-backend-options.js';
export { PLAN_TYPES, WELL_KNOWN_TASK_ID, type Account, type PlanType, type CreateAccountOptions } from './state/accounts.js';
export { Journal, CASE_ID_HEADER, redactEntry } from './journal.js';
export { faultHandlers, parseFaults, FAULT_KINDS, REFRESH_ERROR_CODES, type Fault } from './faults.js';
export { createHandlers, type MockContext } from './handlers/index.js';
export { handleControl } from './control.js';
export { writeFixture, backendIssuer, controlIssuer, type FixtureOptions, type WrittenFixture } from './fixtures/codex-home.js';
