import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isInputError } from '../../errors.js';
import { buildPlan, probeNetns, runInNetns, unshareArgs } from './netns-run.js';
import { createRunCertificates } from './run-certificates.js';
import { tempDir } from '../../testing/temp-dirs.js';

const node = process.execPath;

// A stand-in for the mock: HTTPS on 127.0.0.1:443 with the run's leaf certificate.
const SERVER = `
const https = require('node:https'); const fs = require('node:fs');
const [cert, key] = process.argv.slice(1);
https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
  res.end(JSON.stringify({ host: req.headers.host, path: req.url, secret: process.env.SERVER_SECRET === 's3' }));
}).listen(443, '127.0.0.1', () => fs.writeFileSync(process.env.CODEX_CONFORMANCE_READY_FILE, ''));
`;

// A stand-in for codex: resolves a production name, trusts only the run CA, tries the internet.
const CLIENT = `
const https = require('node:https'); const net = require('node:net'); const fs = require('node:fs');
const out = { mainEnv: process.env.MAIN_ONLY === 'm1', leaked: process.env.SERVER_SECRET !== undefined };
https.get('https://chatgpt.com/backend-api/ping', { ca: fs.readFileSync(process.env.SSL_CERT_FILE) }, (res) => {
  let body = ''; res.on('data', (d) => (body += d)); res.on('end', () => {
    out.mock = JSON.parse(body);
    const s = net.connect({ host: '1.1.1.1', port: 443, timeout: 3000 });
    s.on('connect', () => { out.internet = 'connected'; done(); });
    s.on('timeout', () => { out.internet = 'timeout'; done(); });
    s.on('error', (e) => { out.internet = e.code; done(); });
  });
}).on('error', (e) => { out.mock = e.code; done(); });
function done() { console.log(JSON.stringify(out)); process.exit(0); }
`;

describe('buildPlan', () => {
  it('puts every run file in the work dir and gives processes a minimal env by default', () => {
    const plan = buildPlan({ main: { command: '/bin/codex', args: ['exec'] }, workDir: '/w' }, true);
    expect(plan).toMatchObject({ isolate: true, hostsFile: '/w/hosts', resolvConf: '/w/resolv.conf', readyFile: '/w/server.ready', serverLogFile: '/w/server.log' });
    expect(plan.main.env).toEqual({ PATH: '/usr/local/bin:/usr/bin:/bin' });
    expect(plan.server).toBeUndefined();
  });

  it('refuses an empty command with USAGE', () => {
    try {
      buildPlan({ main: { command: '', args: [] }, workDir: '/w' }, true);
      expect.unreachable();
    } catch (e) {
      expect(isInputError(e) && e.code).toBe('USAGE');
    }
  });

  it('always asks unshare for a new network and mount namespace', () => {
    for (const mode of ['root', 'userns'] as const) expect(unshareArgs(mode)).toEqual(expect.arrayContaining(['--net', '--mount']));
  });
});

describe('runInNetns', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('serves production names from loopback over the run CA and lets nothing out', async () => {
    const workDir = await tempDir('netns-');
    dirs.push(workDir);
    const certs = await createRunCertificates(join(workDir, 'tls'));
    const options = {
      workDir,
      server: { command: node, args: ['-e', SERVER, certs.leafCertPath, certs.leafKeyPath], env: { SERVER_SECRET: 's3' } },
      main: { command: node, args: ['-e', CLIENT], env: { SSL_CERT_FILE: certs.caCertPath, MAIN_ONLY: 'm1' } },
      timeoutMs: 30_000,
    };
    if ((await probeNetns()) === undefined) {
      // No namespaces here: the run must be refused rather than go out unisolated.
      await expect(runInNetns(options)).rejects.toMatchObject({ code: 'BAD_CONFIG' });
      return;
    }
    const result = await runInNetns(options);
    expect(result.isolated).toBe(true);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    expect(out['mock']).toEqual({ host: 'chatgpt.com', path: '/backend-api/ping', secret: true });
    expect(out['internet']).toBe('ENETUNREACH');
    expect(out['mainEnv']).toBe(true);
    expect(out['leaked']).toBe(false);
  });

  it('reports a server that never becomes ready as a typed error', async () => {
    if ((await probeNetns()) === undefined) return expect(await probeNetns()).toBeUndefined();
    const workDir = await tempDir('netns-');
    dirs.push(workDir);
    await expect(
      runInNetns({ workDir, readyTimeoutMs: 300, server: { command: node, args: ['-e', 'setTimeout(() => {}, 5000)'] }, main: { command: node, args: ['-e', '0'] } }),
    ).rejects.toMatchObject({ code: 'BAD_CONFIG', message: expect.stringContaining('did not create') });
  });

  it('passes the main command exit status through', async () => {
    if ((await probeNetns()) === undefined) return expect(await probeNetns()).toBeUndefined();
    const workDir = await tempDir('netns-');
    dirs.push(workDir);
    const result = await runInNetns({ workDir, main: { command: node, args: ['-e', 'process.exit(7)'] } });
    expect(result.code).toBe(7);
  });
});
