import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isInputError } from '../../errors.js';
import { PRODUCTION_HOSTS, SERVED_HOSTS, isHostName, renderHostsFile, renderResolvConf } from './production-hosts.js';

describe('renderHostsFile', () => {
  it('maps every production host to 127.0.0.1', () => {
    const text = renderHostsFile();
    for (const host of PRODUCTION_HOSTS) expect(text).toContain(`127.0.0.1 ${host}\n`);
  });

  it('maps only loopback addresses', () => {
    const addresses = renderHostsFile().trim().split('\n').map((l) => l.split(' ')[0]);
    expect(new Set(addresses)).toEqual(new Set(['127.0.0.1', '::1']));
  });

  it('URL.AGENT.003 staging hosts resolve to loopback in the namespace like the production ones (chatgpt-staging.com, auth.api.openai.org)', () => {
    const text = renderHostsFile();
    for (const host of ['chatgpt-staging.com', 'auth.api.openai.org', 'chatgpt.com', 'auth.openai.com']) expect(text).toContain(`127.0.0.1 ${host}\n`);
  });

  it('covers every host the mock serves', () => {
    for (const host of SERVED_HOSTS) expect(PRODUCTION_HOSTS).toContain(host);
  });

  it('lists a repeated host once', () => {
    const text = renderHostsFile(['chatgpt.com', 'chatgpt.com']);
    expect(text.match(/chatgpt\.com/g)).toHaveLength(1);
  });

  it.each(['chatgpt.com\n1.2.3.4 evil.test', 'https://chatgpt.com', 'chatgpt.com:443', 'localhost', '10.0.0.1', ''])(
    'refuses %j with BAD_CONFIG',
    (bad) => {
      try {
        renderHostsFile([bad]);
        expect.unreachable();
      } catch (e) {
        expect(isInputError(e) && e.code).toBe('BAD_CONFIG');
      }
    },
  );

  it('never writes a line that is not "address name" for any input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (hosts) => {
        try {
          const text = renderHostsFile(hosts);
          for (const line of text.trim().split('\n')) expect(line).toMatch(/^(127\.0\.0\.1|::1) [a-z0-9. -]+$/);
        } catch (e) {
          expect(isInputError(e)).toBe(true);
        }
      }),
    );
  });
});

describe('isHostName', () => {
  it('accepts multi-label names and rejects single labels', () => {
    expect(isHostName('o33249.ingest.us.sentry.io')).toBe(true);
    expect(isHostName('chatgpt')).toBe(false);
  });
});

describe('renderResolvConf', () => {
  it('points only at loopback', () => {
    expect(renderResolvConf()).toMatch(/^nameserver 127\.0\.0\.1\n/);
  });
});
