import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driverSchemas, validateRequest, validateResponse } from './driver-schemas.js';
import { DRIVER_COMMANDS } from './protocol.js';

const setup = {
  caseId: 'case-1',
  home: '/tmp/case-1',
  files: { 'auth.json': '{}', 'config.toml': 'chatgpt_base_url = "http://127.0.0.1:1/backend-api/"' },
  env: { OPENAI_API_KEY: 'sk-test' },
  hostTokens: { accessToken: 'tok', accountId: 'acc', planType: 'plus' },
  config: { chatgptBaseUrl: 'http://127.0.0.1:1/backend-api/', openaiBaseUrl: 'http://127.0.0.1:1/v1', appsEnabled: true },
};

const validRequests = {
  start: { cmd: 'start', seq: 1, version: 1 },
  configure: { cmd: 'configure', seq: 2, setup },
  invoke: { cmd: 'invoke', seq: 3, callsite: 'cloud-tasks.list' },
  introspect: { cmd: 'introspect', seq: 4, what: 'appsCacheKey' },
  reset: { cmd: 'reset', seq: 6 },
  stop: { cmd: 'stop', seq: 5 },
} as const;

const validResponses = {
  start: {
    seq: 1,
    version: 1,
    implementation: { name: 'x', version: '1.0.0', language: 'python', homepage: 'https://example.invalid/x' },
    capabilities: { authModes: ['apiKey', 'chatgpt'], callsites: ['a'], introspect: [] },
  },
  configure: { seq: 2, ok: true },
  invoke: { seq: 3, outcome: { kind: 'sent', status: 200, body: { any: ['thing'] } } },
  introspect: { seq: 4, value: null },
  reset: { seq: 6, ok: true },
  stop: { seq: 5, ok: true },
} as const;

describe('driver protocol v1 schemas', () => {
  it('load and use only the supported keyword subset', () => {
    for (const cmd of DRIVER_COMMANDS) {
      expect(driverSchemas().has(`urn:codex-auth-conformance:driver:v1:${cmd}.request`)).toBe(true);
      expect(driverSchemas().has(`urn:codex-auth-conformance:driver:v1:${cmd}.response`)).toBe(true);
    }
  });

  it.each(DRIVER_COMMANDS)('accept a valid %s request and response', (cmd) => {
    expect(validateRequest(cmd, validRequests[cmd])).toEqual([]);
    expect(validateResponse(cmd, validResponses[cmd])).toEqual([]);
    expect(driverSchemas().validate('urn:codex-auth-conformance:driver:v1:request', validRequests[cmd])).toEqual([]);
  });

  it('accept a start response with or without the optional reset capability', () => {
    expect(validateResponse('start', { ...validResponses.start, capabilities: { ...validResponses.start.capabilities, reset: true } })).toEqual([]);
    expect(validateResponse('start', { ...validResponses.start, capabilities: { ...validResponses.start.capabilities, reset: false } })).toEqual([]);
    expect(validateResponse('start', validResponses.start)).toEqual([]);
  });

  it.each(DRIVER_COMMANDS)('accept an error response to %s', (cmd) => {
    expect(validateResponse(cmd, { seq: 9, error: { message: 'no auth', code: 'NO_CREDENTIALS' } })).toEqual([]);
  });

  it.each([
    ['refused', { kind: 'refused', reason: 'apiKey does not use the codex backend' }],
    ['errored', { kind: 'errored', message: 'connection refused' }],
    ['skipped', { kind: 'skipped', reason: 'agent identity unsupported', link: 'https://example.invalid/1' }],
    ['sent without body', { kind: 'sent', status: 401 }],
  ])('accept a %s outcome', (_name, outcome) => {
    expect(validateResponse('invoke', { seq: 1, outcome })).toEqual([]);
  });

  it.each([
    ['start with version 2', 'start', { cmd: 'start', seq: 1, version: 2 }],
    ['negative seq', 'stop', { cmd: 'stop', seq: -1 }],
    ['missing seq', 'stop', { cmd: 'stop' }],
    ['extra property', 'invoke', { cmd: 'invoke', seq: 1, callsite: 'a', extra: 1 }],
    ['empty callsite', 'invoke', { cmd: 'invoke', seq: 1, callsite: '' }],
    ['setup with a numeric env value', 'configure', { cmd: 'configure', seq: 1, setup: { ...setup, env: { A: 1 } } }],
    ['setup without home', 'configure', { cmd: 'configure', seq: 1, setup: { ...setup, home: undefined } }],
    ['setup with unknown config key', 'configure', { cmd: 'configure', seq: 1, setup: { ...setup, config: { baseUrl: 'x' } } }],
  ] as const)('reject a request with %s', (_name, cmd, message) => {
    const clean = JSON.parse(JSON.stringify(message)) as unknown;
    expect(validateRequest(cmd, clean).length).toBeGreaterThan(0);
  });

  it.each([
    ['start with an unknown auth mode', 'start', { ...validResponses.start, capabilities: { authModes: ['bedrock'], callsites: [], introspect: [] } }],
    ['start with a reset capability that is not a boolean', 'start', { ...validResponses.start, capabilities: { ...validResponses.start.capabilities, reset: 'yes' } }],
    ['reset answered without ok', 'reset', { seq: 6 }],
    ['start without language', 'start', { ...validResponses.start, implementation: { name: 'x', version: '1' } }],
    ['configure ok false', 'configure', { seq: 1, ok: false }],
    ['invoke status 42', 'invoke', { seq: 1, outcome: { kind: 'sent', status: 42 } }],
    ['invoke unknown kind', 'invoke', { seq: 1, outcome: { kind: 'maybe' } }],
    ['invoke refused without reason', 'invoke', { seq: 1, outcome: { kind: 'refused' } }],
    ['invoke with both outcome and error', 'invoke', { seq: 1, outcome: { kind: 'sent', status: 200 }, error: { message: 'x' } }],
    ['introspect without value', 'introspect', { seq: 1 }],
    ['error without message', 'stop', { seq: 1, error: {} }],
    ['string seq', 'stop', { seq: '1', ok: true }],
  ] as const)('reject a response: %s', (_name, cmd, message) => {
    expect(validateResponse(cmd, message).length).toBeGreaterThan(0);
  });

  it('never crash on arbitrary JSON as a response', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DRIVER_COMMANDS), fc.jsonValue(), (cmd, value) => {
        expect(Array.isArray(validateResponse(cmd, value))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
