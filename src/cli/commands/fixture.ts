/**
 * `fixture --mode M [--fedramp] [--plan P] --codex-home DIR --base-url URL [--show-secrets] [--json]`:
 * asks a running `serve` (its control plane at the origin of --base-url, mocks/control.ts) for an
 * account and a credential, and writes a CODEX_HOME valid against that mock:
 * - config.toml: `chatgpt_base_url`, `openai_base_url` (`{origin}/v1`, or https://api.openai.com/v1 when the base is chatgpt.com), `check_for_update_on_startup
 *   = false`, `[analytics] enabled = false` (src/harness/scenario/codex-home.ts renderConfigToml;
 *   keys as 0.171.0 reads them, codex-rs/core/src/config/mod.rs);
 * - auth.json (apiKey, chatgpt), written atomically with mode 0600 (src/auth/auth-json.ts
 *   writeAuthJsonAtomic; format codex-rs/login/src/token_data.rs, codex-rs/login/src/auth/storage.rs),
 *   with `auth_mode` "apikey" / "chatgpt" as current Codex writes it on login (renderAuthJson);
 * - chatgptAuthTokens: host tokens never touch auth.json in the real client (they arrive from the
 *   embedding host); they are written to DIR/host-tokens.json (0600) for `request --host-tokens`;
 * - agentIdentity: 0.171.0 reads the JWT from env CODEX_ACCESS_TOKEN; it is written to
 *   DIR/agent-identity.jwt (0600), and printed as `CODEX_ACCESS_TOKEN=...` only with --show-secrets;
 *   on a base outside production and staging the env names CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL
 *   and CODEX_AGENT_IDENTITY_JWKS_BASE_URL (= the base), which 0.171.0 needs to accept the identity there.
 */
import { access, chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { controlIssuer, type FixtureIssuer } from '../../../mocks/fixtures/codex-home.js';
import { PLAN_TYPES, type PlanType } from '../../../mocks/state/accounts.js';
import { assertNever } from '../../assert-never.js';
import { parseAuthJson, writeAuthJsonAtomic } from '../../auth/auth-json.js';
import { SEED_AUTH_MODES as AUTH_MODES, type SeedAuthMode as AuthMode } from '../../auth/codex-auth.js';
import { ConformanceInputError } from '../../errors.js';
import { renderAuthJson, renderConfigToml, type CodexHomeCredentials } from '../../harness/scenario/codex-home.js';
import { fingerprint } from '../../redact/fingerprint.js';
import { chatgptEnvironment } from '../../urls/derived-urls.js';
import { checkDestination } from '../../net/network-policy.js';
import { stopAfterValidation, type Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';

const usage =
  'codex-auth-conformance fixture --mode apiKey|chatgpt|chatgptAuthTokens|agentIdentity [--fedramp] [--plan P] --codex-home DIR --base-url URL [--allow-network] [--show-secrets] [--json]';

export const HOST_TOKENS_FILE = 'host-tokens.json';
export const AGENT_IDENTITY_JWT_FILE = 'agent-identity.jwt';

export interface FixtureRequest {
  readonly mode: AuthMode;
  readonly codexHome: string;
  /** The ChatGPT base URL of the running mock, e.g. http://127.0.0.1:4010/backend-api/. */
  readonly baseUrl: string;
  readonly plan?: PlanType;
  readonly fedramp?: boolean;
  /** Let the control-plane requests reach a non-loopback origin (default: refused before sending). */
  readonly allowNetwork?: boolean;
}

export interface FixtureResult {
  readonly mode: AuthMode;
  readonly codexHome: string;
  readonly chatgptBaseUrl: string;
  readonly openaiBaseUrl: string;
  readonly account?: { readonly id: string; readonly plan: string; readonly fedramp: boolean };
  /** Files written (absolute paths); secret-bearing ones are mode 0600. */
  readonly files: readonly string[];
  /** Environment the client needs besides the files (no secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** Fingerprint of the credential issued. */
  readonly credential: string;
  /** The agent identity JWT (agentIdentity only): printed only with --show-secrets. */
  readonly agentJwt?: string;
}

function controlOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (e) {
    throw new ConformanceInputError('BAD_URL', `--base-url ${JSON.stringify(baseUrl.slice(0, 200))} is not a URL.`, 'pass the chatgptBaseUrl that `serve` printed, e.g. http://127.0.0.1:4010/backend-api/.', { cause: e });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConformanceInputError('BAD_URL', `--base-url ${JSON.stringify(baseUrl.slice(0, 200))} is not http(s).`, 'pass the chatgptBaseUrl that `serve` printed.');
  }
  return url.origin;
}

/** Fails with a typed error unless a mock control plane answers at `origin`. */
async function requireControlPlane(origin: string): Promise<void> {
  const fix = `start the mock first (codex-auth-conformance serve) and pass the base URL it printed.`;
  let res: Response;
  try {
    res = await fetch(`${origin}/__control/health`, { signal: AbortSignal.timeout(5000) });
  } catch (e) {
    throw new ConformanceInputError('BAD_CONFIG', `no mock answers at ${origin} (${(e as Error).message}).`, fix, { cause: e });
  }
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new ConformanceInputError('BAD_CONFIG', `${origin}/__control/health answered ${res.status}: not a running mock.`, fix);
}

export async function writeCodexHomeFixture(req: FixtureRequest, issuer?: FixtureIssuer): Promise<FixtureResult> {
  const origin = controlOrigin(req.baseUrl);
  if (issuer === undefined) {
    checkDestination(origin, { allowNetwork: req.allowNetwork === true }, `fixture (the mock's control plane at --base-url)`);
    await requireControlPlane(origin);
  }
  const mock = issuer ?? controlIssuer(origin);
  // Impersonating production (hosts mapped to the mock) leaves openai_base_url unset, as in
  // production: 0.171.0 sends even ChatGPT-mode model traffic to a configured openai_base_url.
  const impersonating = origin === 'https://chatgpt.com';
  const openaiBaseUrl = impersonating ? 'https://api.openai.com/v1' : `${origin}/v1`;
  const config = renderConfigToml({ chatgptBaseUrl: req.baseUrl, ...(impersonating ? {} : { openaiBaseUrl }) });
  const home = req.codexHome;
  try {
    await mkdir(home, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new ConformanceInputError('BAD_CONFIG', `cannot create CODEX_HOME ${home} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, 'pass --codex-home a directory you can write (it is created if missing).', { cause: e });
  }
  const files: string[] = [];
  const env: Record<string, string> = { CODEX_HOME: home };
  const plan = req.plan ?? 'plus';
  const fedramp = req.fedramp ?? false;

  const writeAuth = async (credentials: CodexHomeCredentials): Promise<void> => {
    const text = renderAuthJson(credentials);
    if (text === undefined) return;
    await writeAuthJsonAtomic(home, parseAuthJson(text));
    files.push(join(home, 'auth.json'));
  };
  const base = { mode: req.mode, codexHome: home, chatgptBaseUrl: req.baseUrl, openaiBaseUrl };

  let result: FixtureResult;
  switch (req.mode) {
    case 'apiKey': {
      const apiKey = await mock.createApiKey();
      await writeAuth({ mode: 'apiKey', apiKey });
      result = { ...base, files, env, credential: fingerprint(apiKey) };
      break;
    }
    case 'chatgpt': {
      const account = await mock.createAccount({ plan, fedramp });
      const t = await mock.issueChatgptTokens(account.id);
      await writeAuth({ mode: 'chatgpt', idToken: t.idToken, accessToken: t.accessToken, refreshToken: t.refreshToken, accountId: account.id });
      env['CODEX_REFRESH_TOKEN_URL_OVERRIDE'] = `${origin}/oauth/token`;
      result = { ...base, account: { id: account.id, plan, fedramp }, files, env, credential: fingerprint(t.accessToken) };
      break;
    }
    case 'chatgptAuthTokens': {
      const account = await mock.createAccount({ plan, fedramp });
      const t = await mock.issueChatgptTokens(account.id);
      const path = join(home, HOST_TOKENS_FILE);
      await writeSecretFile(path, `${JSON.stringify({ accessToken: t.accessToken, accountId: account.id, planType: plan }, null, 2)}\n`);
      files.push(path);
      result = { ...base, account: { id: account.id, plan, fedramp }, files, env, credential: fingerprint(t.accessToken) };
      break;
    }
    case 'agentIdentity': {
      const account = await mock.createAccount({ plan, fedramp });
      const identity = await mock.createAgentIdentity(account.id, {});
      const path = join(home, AGENT_IDENTITY_JWT_FILE);
      await writeSecretFile(path, `${identity.jwt}\n`);
      files.push(path);
      // 0.171.0 accepts agent identity only on production and staging bases, or on another base when
      // the authapi override is set and the JWKS base equals the configured base (the mock's pair).
      if (chatgptEnvironment(req.baseUrl) === undefined) {
        env['CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'] = `${origin}/api/accounts`;
        env['CODEX_AGENT_IDENTITY_JWKS_BASE_URL'] = req.baseUrl;
      }
      result = { ...base, account: { id: account.id, plan, fedramp }, files, env, credential: fingerprint(identity.jwt), agentJwt: identity.jwt };
      break;
    }
    default:
      return assertNever(req.mode, 'auth mode');
  }
  const configPath = join(home, 'config.toml');
  await writeFileAtomic(configPath, config, 0o644);
  files.unshift(configPath);
  return result;
}

/** Temp file in the same directory, then rename: readers never see a half-written file. */
async function writeFileAtomic(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.chmod(mode);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new ConformanceInputError('BAD_CONFIG', `could not write ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, 'pass --codex-home a writable directory.', { cause: e });
  }
}

async function writeSecretFile(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text, 0o600);
  await chmod(path, 0o600);
}

export const fixtureCommand: Command = {
  name: 'fixture',
  summary: 'Seed an account in a running `serve` and write a CODEX_HOME (auth.json, config.toml) valid against it.',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        mode: { type: 'string' },
        fedramp: { type: 'boolean' },
        plan: { type: 'string' },
        'codex-home': { type: 'string' },
        'base-url': { type: 'string' },
        'allow-network': { type: 'boolean' },
        'show-secrets': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      usage,
    );
    const mode = values.mode;
    if (mode === undefined || !(AUTH_MODES as readonly string[]).includes(mode)) {
      throw new ConformanceInputError('USAGE', mode === undefined ? '--mode is missing.' : `unknown --mode ${JSON.stringify(mode.slice(0, 40))}.`, `use one of ${AUTH_MODES.join(', ')}.`);
    }
    const plan = values.plan;
    if (plan !== undefined && !(PLAN_TYPES as readonly string[]).includes(plan)) {
      throw new ConformanceInputError('USAGE', `unknown --plan ${JSON.stringify(plan.slice(0, 40))}.`, `use one of ${PLAN_TYPES.join(', ')}.`);
    }
    if (mode === 'apiKey' && (plan !== undefined || values.fedramp === true)) {
      throw new ConformanceInputError('USAGE', '--plan and --fedramp describe a ChatGPT account; an API key has none.', 'drop them, or pick a ChatGPT mode.');
    }
    const home = values['codex-home'];
    const baseUrl = values['base-url'];
    if (home === undefined || baseUrl === undefined) {
      throw new ConformanceInputError('USAGE', `${home === undefined ? '--codex-home' : '--base-url'} is missing.`, `usage: ${usage}`);
    }
    const codexHome = resolve(io.cwd, home);
    checkDestination(controlOrigin(baseUrl), { allowNetwork: values['allow-network'] === true }, `fixture (the mock's control plane at --base-url)`);
    if (stopAfterValidation(io)) return 0;
    const hadAuthJson = await access(join(codexHome, 'auth.json')).then(() => true, () => false);
    const result = await writeCodexHomeFixture({
      mode: mode as AuthMode,
      codexHome,
      baseUrl,
      ...(plan !== undefined && { plan: plan as PlanType }),
      ...(values.fedramp === true && { fedramp: true }),
      allowNetwork: values['allow-network'] === true,
    });
    const showSecrets = values['show-secrets'] === true;
    const keepsAuthJson = result.files.some((f) => f.endsWith('/auth.json'));
    if (values.json) {
      const { agentJwt, ...rest } = result;
      io.out(JSON.stringify(showSecrets && agentJwt !== undefined ? { ...rest, agentJwt } : rest, null, 2));
    } else {
      printFixture(result, showSecrets, io.out);
      if (hadAuthJson && !keepsAuthJson) {
        io.out(`note    ${join(codexHome, 'auth.json')} from before is left in place; ${result.mode} credentials take precedence over it in the reference loader`);
      }
    }
    return 0;
  },
};

function printFixture(result: FixtureResult, showSecrets: boolean, out: (line: string) => void): void {
  out(`mode    ${result.mode} (credential ${result.credential})`);
  if (result.account !== undefined) out(`account ${result.account.id} plan ${result.account.plan}${result.account.fedramp ? ' FedRAMP' : ''}`);
  for (const f of result.files) out(`wrote   ${f}`);
  for (const [k, v] of Object.entries(result.env)) out(`env     ${k}=${v}`);
  switch (result.mode) {
    case 'chatgptAuthTokens':
      out(`note    host tokens are not stored in auth.json; pass them with: request <callsite> --codex-home ${result.codexHome} --chatgpt-base-url ${result.chatgptBaseUrl} --host-tokens ${join(result.codexHome, HOST_TOKENS_FILE)}`);
      break;
    case 'agentIdentity':
      if (showSecrets && result.agentJwt !== undefined) out(`CODEX_ACCESS_TOKEN=${result.agentJwt}`);
      else out(`note    the agent identity JWT is in ${join(result.codexHome, AGENT_IDENTITY_JWT_FILE)} (0600); export CODEX_ACCESS_TOKEN="$(cat ${join(result.codexHome, AGENT_IDENTITY_JWT_FILE)})" (or rerun with --show-secrets)`);
      break;
    case 'apiKey':
    case 'chatgpt':
      break;
    default:
      assertNever(result.mode, 'auth mode');
  }
}
