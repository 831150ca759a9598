import { describe, expect, it } from 'vitest';
import { parseReleases } from '../../cli/commands/matrix.js';
import { isInputError } from '../../errors.js';
import { emptyCounts, type CaseResult, type RunReport } from '../results.js';
import { compareVersions, releaseFacts } from './release-facts.js';
import { buildMatrix, renderMatrixMarkdown } from './release-matrix.js';
import { slotAddress } from './codex-cli-scenarios.js';
import { withHostsFile } from './run-codex-turn.js';
import { renderHostsFile } from '../isolation/production-hosts.js';
import { parseAuthJsonState } from '../scenario/auth-json-watch.js';

function report(version: string, cases: Array<Pick<CaseResult, 'ruleId' | 'verdict' | 'message' | 'caseId'>>): RunReport {
  return {
    header: { type: 'header', formatVersion: 1, tool: { name: 'codex-auth-conformance', version: '0.1.0' }, implementation: { name: 'codex-cli', version }, seed: 1, runs: 1, rulesSelected: [], startedAt: '2026-01-01T00:00:00Z' },
    cases: cases.map((c) => ({ type: 'case', durationMs: 1, ...c })),
    footer: { type: 'footer', rules: emptyCounts(), results: emptyCounts(), casesRun: 0, rulesNotReached: [], durationMs: 1, ok: true },
  };
}

describe('release matrix', () => {
  it('puts each rule verdict per release, with the failing evidence and the exercised count', () => {
    const m = buildMatrix([
      { version: '0.125.0', durationMs: 9000, report: report('0.125.0', [{ ruleId: 'REFRESH.PROACTIVE.001', verdict: 'pass', message: 'ok', caseId: 'codex-cli:refreshExpired' }, { ruleId: 'URL.PATH.001', verdict: 'skip', message: 'not exercised', caseId: 'codex-cli' }]) },
      { version: '0.171.0', durationMs: 12000, report: report('0.171.0', [{ ruleId: 'REFRESH.PROACTIVE.001', verdict: 'pass', message: 'ok', caseId: 'codex-cli:refreshExpired' }, { ruleId: 'REFRESH.PROACTIVE.001', verdict: 'fail', message: 'refreshed too late at #3', caseId: 'codex-cli:refreshWindow' }]) },
    ]);
    expect(m.rules['REFRESH.PROACTIVE.001']).toEqual({
      '0.125.0': { verdict: 'pass', cases: ['refreshExpired'] },
      '0.171.0': { verdict: 'fail', evidence: 'refreshed too late at #3', cases: ['refreshWindow'] },
    });
    expect(m.releases.map((r) => [r.version, r.exercised])).toEqual([['0.125.0', 1], ['0.171.0', 1]]);
    const md = renderMatrixMarkdown(m);
    expect(md).toContain('| REFRESH.PROACTIVE.001 | pass | **FAIL** |');
    expect(md).toContain('| URL.PATH.001 | skip | - |');
    expect(md).toContain('**REFRESH.PROACTIVE.001 @ 0.171.0** (refreshWindow): refreshed too late at #3');
  });

  it('HDR.BEARER.001: a finding in one case shows beside the passes of the others, and each finding is listed (corpus B5)', () => {
    const finding = 'finding on 0.25.0, not a failure (the source at this release intends it: default ChatGPT). Observed: tokens sent';
    const m = buildMatrix([
      { version: '0.25.0', durationMs: 1000, report: report('0.25.0', [{ ruleId: 'HDR.BEARER.001', verdict: 'pass', message: 'ok', caseId: 'codex-cli:apiKey' }, { ruleId: 'HDR.BEARER.001', verdict: 'unsupported', message: finding, caseId: 'codex-cli:apiKeyBesideTokens' }]) },
      { version: '0.36.0', durationMs: 1000, report: report('0.36.0', [{ ruleId: 'HDR.BEARER.001', verdict: 'pass', message: 'ok', caseId: 'codex-cli:apiKeyBesideTokens' }]) },
      { version: '0.80.0', durationMs: 1000, report: report('0.80.0', [{ ruleId: 'HDR.BEARER.001', verdict: 'unsupported', message: finding, caseId: 'codex-cli:apiKeyBesideTokens' }]) },
    ]);
    expect(m.rules['HDR.BEARER.001']?.['0.25.0']).toEqual({ verdict: 'pass', cases: ['apiKey'], findings: [{ case: 'apiKeyBesideTokens', evidence: finding }] });
    expect(m.rules['HDR.BEARER.001']?.['0.36.0']?.findings).toBeUndefined();
    const md = renderMatrixMarkdown(m);
    expect(md).toContain('| HDR.BEARER.001 | pass + finding | pass | unsupported |');
    expect(md).toContain(`- **HDR.BEARER.001 @ 0.25.0** (apiKeyBesideTokens): ${finding}`);
    expect(md).toContain(`- **HDR.BEARER.001 @ 0.80.0** (apiKeyBesideTokens): ${finding}`);
  });

  it('parses --releases and refuses ranges, duplicates and empty lists', () => {
    expect(parseReleases('0.125.0, 0.171.0')).toEqual(['0.125.0', '0.171.0']);
    for (const bad of ['', '^0.171', '0.171.0,0.171.0']) {
      try {
        parseReleases(bad);
        expect.unreachable();
      } catch (e) {
        expect(isInputError(e) && e.code).toBe('USAGE');
      }
    }
  });

  it('release facts follow the version: refresh window from 0.137, Apps trust gate from 0.145, invalid_grant permanent in 0.171', () => {
    expect(compareVersions('0.99.0', '0.125.0')).toBeLessThan(0);
    expect(releaseFacts('0.125.0')).toMatchObject({ refreshWindowSeconds: 0, appsTrustGate: false, invalidGrantPermanent: false, agentIdentityJwtEnv: false });
    expect(releaseFacts('0.145.0')).toMatchObject({ refreshWindowSeconds: 300, appsTrustGate: true, workspaceRouting: false });
    expect(releaseFacts('0.171.0')).toMatchObject({ invalidGrantPermanent: true, workspaceRouting: true });
  });
});

describe('concurrent cases in the namespace', () => {
  it('gives each slot its own loopback address and hosts file, and runs the binary with it bind-mounted', () => {
    expect(slotAddress(0)).toBe('127.0.0.10');
    expect(() => slotAddress(-1)).toThrow(TypeError);
    expect(renderHostsFile(['chatgpt.com'], '127.0.0.12')).toContain('127.0.0.12 chatgpt.com');
    expect(() => renderHostsFile(['chatgpt.com'], '10.0.0.1')).toThrow(/loopback/);
    expect(withHostsFile('/w/hosts', '/bin/codex', ['exec', 'hi'])).toEqual({
      command: 'unshare',
      args: ['--mount', '--propagation', 'private', '/bin/sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', '/w/hosts', '/bin/codex', 'exec', 'hi'],
    });
  });

  it('reads auth.json as token fingerprints; invalid JSON is a torn read', () => {
    const s = parseAuthJsonState('{"tokens":{"access_token":"a.b.c","refresh_token":"rt"},"last_refresh":"2026-01-01T00:00:00Z"}', 7, 0o600);
    expect(s).toMatchObject({ exists: true, inode: 7, mode: 0o600, torn: false, lastRefresh: '2026-01-01T00:00:00Z' });
    expect(s.accessToken).toMatch(/^fp:[0-9a-f]{12}$/);
    expect(JSON.stringify(s)).not.toContain('a.b.c');
    expect(parseAuthJsonState('{"tokens":{"acc').torn).toBe(true);
  });
});
