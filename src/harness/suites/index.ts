import type { Suite } from '../suite.js';
import { agentSessionSuite } from './agent-session-suite.js';
import { cacheSuite } from './cache-suite.js';
import { refreshSuite } from './refresh-suite.js';
import { requestsSuite } from './requests-suite.js';
import { shareSuite } from './share-suite.js';
import { scopingSuite } from './scoping-suite.js';

/** Every suite of the conformance run, in run order. Each rule belongs to exactly one suite. */
export const ALL_SUITES: readonly Suite[] = [requestsSuite, agentSessionSuite, refreshSuite, cacheSuite, shareSuite, scopingSuite];
