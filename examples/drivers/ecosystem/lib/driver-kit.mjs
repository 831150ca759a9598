// Shared plumbing of the ecosystem drivers (driver protocol v1, docs/driver-protocol.md): the
// line protocol, the case setup on disk, loading the pinned package from its install dir, the
// auth.json introspection and the isolation safety belt. Each driver supplies only how its
// package is called. Plain JavaScript (Node 20), no dependency.
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { mkdir, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** `--install-dir DIR` (the directory holding node_modules/<package>) from argv. */
export function installDirFromArgv(argv = process.argv.slice(2)) {
  const i = argv.indexOf('--install-dir');
  const dir = i >= 0 ? argv[i + 1] : undefined;
  if (dir === undefined || !isAbsolute(dir)) throw new Error('pass --install-dir <absolute dir holding node_modules/<package>>');
  return dir;
}

function pickTarget(entry) {
  if (typeof entry === 'string') return entry;
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const condition of ['import', 'node', 'default']) {
    const t = pickTarget(entry[condition]);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Imports `name` (optionally a subpath export such as `./oauth`) from `installDir/node_modules`. */
export async function importPackage(installDir, name, subpath = '.') {
  const root = join(installDir, 'node_modules', ...name.split('/'));
  const meta = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  let target;
  if (meta.exports !== undefined) {
    const exportsMap = typeof meta.exports === 'string' || !Object.keys(meta.exports).some((k) => k.startsWith('.')) ? { '.': meta.exports } : meta.exports;
    target = pickTarget(exportsMap[subpath]);
  } else if (subpath === '.') {
    target = meta.module ?? meta.main ?? 'index.js';
  } else {
    target = subpath;
  }
  if (target === undefined) throw new Error(`${name} exports no ${subpath}`);
  const file = normalize(join(root, target));
  if (!file.startsWith(root + sep)) throw new Error(`${name} export ${subpath} leaves the package`);
  return { module: await import(pathToFileURL(file).href), version: meta.version };
}

/** True only where loopback is the sole interface and chatgpt.com resolves to 127.0.0.1 (the run's namespace). */
export async function isolated() {
  const onlyLoopback = Object.entries(networkInterfaces()).every(([name, addrs]) => name === 'lo' || (addrs ?? []).every((a) => a.internal));
  if (!onlyLoopback) return false;
  try {
    return (await lookup('chatgpt.com', { family: 4 })).address === '127.0.0.1';
  } catch {
    return false;
  }
}

export const sha256 = (value) => (typeof value === 'string' ? createHash('sha256').update(value).digest('hex') : null);

/** Removes anything that looks like a credential from a message meant for the harness. */
export function scrub(text, secrets = []) {
  let out = String(text);
  for (const s of secrets) if (typeof s === 'string' && s.length >= 8) out = out.split(s).join('<secret>');
  return out
    .replace(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, '<jwt>')
    .replace(/\brt_[A-Za-z0-9_-]{8,}/g, '<refresh-token>')
    .replace(/\bsk-[A-Za-z0-9_-]{8,}/g, '<api-key>')
    .slice(0, 900);
}

export function errorText(e) {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? `: ${e.cause.code ?? ''} ${e.cause.message}` : '';
  return `${e.name}: ${e.message}${cause}`;
}

/** Writes the case's files under `home` (0600), refusing absolute paths and `..`. */
export async function writeSetup(setup) {
  await mkdir(setup.home, { recursive: true, mode: 0o700 });
  for (const [rel, text] of Object.entries(setup.files ?? {})) {
    if (isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) throw new Error(`refusing file path ${rel}`);
    const path = join(setup.home, rel);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, text, { mode: 0o600 });
    await chmod(path, 0o600);
  }
}

async function statOrNull(path) {
  try {
    const s = await stat(path);
    return { ino: s.ino, mtimeMs: s.mtimeMs, size: s.size, mode: s.mode & 0o777 };
  } catch {
    return null;
  }
}

/** What auth.json looks like now, compared with `baseline` (its stat right after configure). */
export async function authJsonReport(home, baseline) {
  const path = join(home, 'auth.json');
  const now = await statOrNull(path);
  if (now === null) return { present: false, disposition: baseline === null ? 'absent' : 'deleted' };
  let data = null;
  let text = '';
  try {
    text = await readFile(path, 'utf8');
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  const tokens = data !== null && typeof data === 'object' && typeof data.tokens === 'object' && data.tokens !== null ? data.tokens : {};
  const changed = baseline === null || now.mtimeMs !== baseline.mtimeMs || now.size !== baseline.size || sha256(text) !== baseline.digest;
  const disposition = baseline === null ? 'created' : now.ino !== baseline.ino ? 'replaced' : changed ? 'rewrittenInPlace' : 'unchanged';
  return {
    present: true,
    disposition,
    mode: now.mode.toString(8).padStart(4, '0'),
    parses: data !== null,
    keys: data !== null && typeof data === 'object' ? Object.keys(data) : [],
    authMode: data?.auth_mode ?? null,
    accountId: typeof tokens.account_id === 'string' ? tokens.account_id : null,
    lastRefresh: typeof data?.last_refresh === 'string' ? data.last_refresh : null,
    digests: { accessToken: sha256(tokens.access_token), refreshToken: sha256(tokens.refresh_token), idToken: sha256(tokens.id_token) },
  };
}

export async function authJsonBaseline(home) {
  const path = join(home, 'auth.json');
  const s = await statOrNull(path);
  if (s === null) return null;
  return { ...s, digest: sha256(await readFile(path, 'utf8')) };
}

/** The tokens auth.json holds (the driver's input; never echoed to the harness). */
export async function readAuthJsonTokens(home) {
  try {
    const data = JSON.parse(await readFile(join(home, 'auth.json'), 'utf8'));
    return data?.tokens ?? null;
  } catch {
    return null;
  }
}

/** exp (ms since epoch) of a JWT, read without verifying it; undefined when unreadable. */
/** The text of a Responses API answer: every `output[].content[].text`, joined. */
export function responsesOutputText(response) {
  const parts = [];
  for (const item of Array.isArray(response?.output) ? response.output : []) {
    for (const c of Array.isArray(item?.content) ? item.content : []) if (typeof c?.text === 'string') parts.push(c.text);
  }
  return parts.join('');
}

export function jwtExpiryMs(jwt) {
  try {
    const payload = JSON.parse(Buffer.from(String(jwt).split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves driver protocol v1 on stdin/stdout. `spec`:
 *   name, version, capabilities, introspect (list),
 *   configure(setup) -> void, invoke(callsite, setup) -> outcome, introspect(what, setup) -> value,
 *   secrets(setup) -> strings to scrub from messages.
 */
export function serveDriver(spec) {
  let setup;
  let baseline = null;
  const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const secrets = () => (setup === undefined ? [] : (spec.secrets?.(setup) ?? []));
  const queue = [];
  let busy = false;
  const handle = async (request) => {
    switch (request.cmd) {
      case 'start':
        return { version: 1, implementation: { name: spec.name, version: spec.version, language: 'javascript' }, capabilities: spec.capabilities };
      case 'configure':
        setup = request.setup;
        await writeSetup(setup);
        baseline = await authJsonBaseline(setup.home);
        await spec.configure?.(setup);
        return { ok: true };
      case 'invoke': {
        if (setup === undefined) return { outcome: { kind: 'errored', message: 'invoke before configure' } };
        if (!(await isolated())) return { outcome: { kind: 'errored', message: 'not isolated: the package is only ever run inside the loopback-only namespace' } };
        try {
          return { outcome: await spec.invoke(request.callsite, setup) };
        } catch (e) {
          return { outcome: { kind: 'errored', message: scrub(errorText(e), secrets()) } };
        }
      }
      case 'introspect':
        if (request.what === 'authJson') return { value: setup === undefined ? null : await authJsonReport(setup.home, baseline) };
        if (spec.introspect !== undefined) return { value: await spec.introspect(request.what, setup) };
        return { error: { message: `cannot introspect ${request.what}` } };
      case 'stop':
        return { ok: true, exit: true };
      default:
        return { error: { message: `unknown cmd ${String(request.cmd).slice(0, 40)}` } };
    }
  };
  const pump = async () => {
    if (busy) return;
    busy = true;
    while (queue.length > 0) {
      const request = queue.shift();
      let answer;
      try {
        answer = await handle(request);
      } catch (e) {
        answer = { error: { message: scrub(errorText(e), secrets()) } };
      }
      const { exit, ...rest } = answer;
      reply({ seq: request.seq, ...rest });
      if (exit === true) process.exit(0);
    }
    busy = false;
  };
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      return;
    }
    queue.push(request);
    void pump();
  });
  rl.on('close', () => {
    if (!busy && queue.length === 0) process.exit(0);
  });
}
