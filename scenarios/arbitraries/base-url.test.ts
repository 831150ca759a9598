import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractAppsUrl, contractAuthapiBase, contractBackendBase } from '../../src/rules/contract/urls.js';
import { availableHosts, BASE_HOSTS, BASE_SPELLINGS, BASE_URL_VARIANTS, baseChoice, PRODUCTION_BASE_VARIANTS, chatgptBaseUrlFor, showBaseChoice, type BaseChoice } from './base-url.js';

const urls = { root: 'http://127.0.0.1:48123', chatgptBackendApi: '', chatgptCodexApi: '', openai: '' };
const sample = (arb: fc.Arbitrary<BaseChoice>): BaseChoice[] => fc.sample(arb, { seed: 7, numRuns: 2000 });

describe('base URL generator', () => {
  it('spans every host and every spelling when the mock answers any origin', () => {
    const seen = sample(baseChoice({ productionHosts: true, anyHost: true }));
    for (const host of BASE_HOSTS) expect(seen.some((c) => c.host === host), host).toBe(true);
    for (const host of BASE_HOSTS.filter((h) => h !== 'mock')) {
      for (const spelling of BASE_SPELLINGS) expect(seen.some((c) => c.host === host && c.spelling === spelling), `${host} ${spelling}`).toBe(true);
    }
    const spelled = new Set(seen.map((c) => chatgptBaseUrlFor(urls, c)));
    for (const url of [
      'https://chatgpt.com',
      'https://chatgpt.com/backend-api',
      'https://chatgpt.com/backend-api/',
      'https://chatgpt.com/backend-api//',
      'https://chatgpt-staging.com/api/codex',
      'https://codex-gateway.example.test/codex',
      'http://localhost:48123/backend-api/codex',
      'http://[::1]:48123/backend-api/wham/remote/control/server',
      'https://chatgpt.com/backend-api/wham/remote/control/server/enroll/',
    ]) expect(spelled.has(url), url).toBe(true);
  });

  it('keeps the mock origin to the spellings every transport serves, and the port mock to its own origin', () => {
    expect(availableHosts(false)).toEqual(['mock']);
    expect(availableHosts({ productionHosts: true })).toEqual(['mock', 'production']);
    const port = sample(baseChoice(false));
    expect(port.every((c) => c.host === 'mock' && (BASE_URL_VARIANTS as readonly string[]).includes(c.spelling))).toBe(true);
    expect(new Set(port.map((c) => c.spelling))).toEqual(new Set(BASE_URL_VARIANTS));
    const prod = sample(baseChoice(true));
    expect(prod.some((c) => c.host === 'production' && c.spelling === '')).toBe(true);
    expect(prod.every((c) => c.host === 'mock' || c.host === 'production')).toBe(true);
  });

  it('URL.AGENT.003 a port mock in the namespace (production and staging hosts mapped) generates staging bases in the spellings its listener serves', () => {
    expect(availableHosts({ productionHosts: true, stagingHosts: true })).toEqual(['mock', 'production', 'staging']);
    expect(availableHosts({ productionHosts: false, stagingHosts: true })).toEqual(['mock']);
    const ns = sample(baseChoice({ productionHosts: true, stagingHosts: true }));
    for (const host of ['mock', 'production', 'staging'] as const) expect(ns.some((c) => c.host === host), host).toBe(true);
    expect(ns.filter((c) => c.host !== 'mock').every((c) => (PRODUCTION_BASE_VARIANTS as readonly string[]).includes(c.spelling))).toBe(true);
    expect(ns.some((c) => c.host === 'staging' && c.spelling === '')).toBe(true);
  });

  it('shows a base without the port of the run', () => {
    expect(showBaseChoice({ host: 'ipv6', spelling: 'codex' })).toBe('http://[::1]:<port>/codex');
    expect(showBaseChoice({ host: 'production', spelling: '' })).toBe('https://chatgpt.com');
    expect(showBaseChoice({ host: 'mock', spelling: 'api/codex' })).toBe('<mock>/api/codex');
  });

  // The spellings matter only if the rules' table tells them apart: these are its answers, read from the source.
  it('the generated spellings reach distinct contract answers (the table, not the reference)', () => {
    const base = (spelling: BaseChoice['spelling'], host: BaseChoice['host'] = 'custom'): string => chatgptBaseUrlFor(urls, { host, spelling } as BaseChoice);
    expect(contractBackendBase({ chatgptBaseUrl: base('', 'production') })).toBe('https://chatgpt.com/backend-api');
    expect(contractBackendBase({ chatgptBaseUrl: base('backend-api//') })).toBe('https://codex-gateway.example.test/backend-api');
    expect(contractAppsUrl('codex-0.171', { chatgptBaseUrl: base('codex') })).toBe('https://codex-gateway.example.test/codex/api/codex/ps/mcp');
    expect(contractAuthapiBase('pr18811', { chatgptBaseUrl: base('backend-api/wham/remote/control/server/enroll/', 'localhost') })).toEqual({ kind: 'url', base: 'http://localhost:48123/backend-api' });
    expect(contractAuthapiBase('pr18811', { chatgptBaseUrl: base('api/codex', 'ipv6') }).kind).toBe('unknown');
    expect(contractAuthapiBase('codex-0.171', { chatgptBaseUrl: base('backend-api/codex', 'staging') })).toEqual({ kind: 'url', base: 'https://auth.api.openai.org/api/accounts' });
    expect(contractAuthapiBase('codex-0.171', { chatgptBaseUrl: base('backend-api') }).kind).toBe('refused');
  });
});
