// Runs INSIDE a fresh network + mount namespace (started by netns-run.ts through `unshare -nm`).
// Plain JavaScript so it starts without a loader. It reads its plan (JSON) from fd 3, so no
// credential ever lands on disk or in a command line; then it:
//   1. brings up loopback and refuses to continue if any other interface exists;
//   2. bind-mounts the generated hosts file over /etc/hosts and resolv.conf over /etc/resolv.conf
//      (the mount namespace is private, so the host's files are untouched);
//   3. starts the mock server (optional), waits for it to create the ready file;
//   4. runs the main command with the launcher's stdin/stdout/stderr, and exits with its status.
// Exit codes 90 (setup failed), 91 (isolation check failed), 92 (server never became ready).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';

const SETUP_FAILED = 90;
const NOT_ISOLATED = 91;
const SERVER_NOT_READY = 92;

function fail(code, message) {
  process.stderr.write(`netns-launcher: ${message}\n`);
  process.exit(code);
}

let plan;
try {
  plan = JSON.parse(readFileSync(3, 'utf8'));
} catch (e) {
  fail(SETUP_FAILED, `cannot read the plan from fd 3: ${e.message}`);
}

if (plan.isolate) {
  try {
    execFileSync('ip', ['link', 'set', 'lo', 'up'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(':')[1]?.trim().split('@')[0]);
    if (links.length !== 1 || links[0] !== 'lo') fail(NOT_ISOLATED, `namespace has interfaces ${JSON.stringify(links)}, expected only lo`);
    const addrs = execFileSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' });
    for (const line of addrs.split('\n').filter((l) => l.trim() !== '')) {
      if (!/ (127\.0\.0\.1\/8|::1\/128) /.test(line)) fail(NOT_ISOLATED, `unexpected address: ${line.trim()}`);
    }
    execFileSync('mount', ['--bind', plan.hostsFile, '/etc/hosts'], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('mount', ['--bind', plan.resolvConf, '/etc/resolv.conf'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    fail(SETUP_FAILED, `namespace setup failed: ${String(e.stderr ?? e.message).trim()}`);
  }
}

let server;
if (plan.server) {
  const log = openSync(plan.serverLogFile, 'a', 0o600);
  server = spawn(plan.server.command, plan.server.args, {
    cwd: plan.server.cwd,
    env: { ...plan.server.env, CODEX_CONFORMANCE_READY_FILE: plan.readyFile },
    stdio: ['ignore', log, log],
  });
  let exited = false;
  server.on('exit', () => (exited = true));
  const deadline = Date.now() + plan.readyTimeoutMs;
  while (!existsSync(plan.readyFile)) {
    if (exited) fail(SERVER_NOT_READY, `the server exited before it was ready; see ${plan.serverLogFile}`);
    if (Date.now() > deadline) {
      server.kill('SIGKILL');
      fail(SERVER_NOT_READY, `the server did not create ${plan.readyFile} within ${plan.readyTimeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

const main = spawn(plan.main.command, plan.main.args, { cwd: plan.main.cwd, env: plan.main.env, stdio: 'inherit' });
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => main.kill(sig));
main.on('error', (e) => {
  server?.kill('SIGTERM');
  fail(SETUP_FAILED, `cannot start ${plan.main.command}: ${e.message}`);
});
main.on('exit', (code, signal) => {
  const status = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
  if (!server || server.exitCode !== null || server.signalCode !== null) process.exit(status);
  // Give the mock a moment to flush its journal, then make sure nothing outlives the run.
  const force = setTimeout(() => server.kill('SIGKILL'), 2000);
  server.on('exit', () => {
    clearTimeout(force);
    process.exit(status);
  });
  server.kill('SIGTERM');
});
