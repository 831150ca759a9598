// Driver (protocol v1) for the npm package openai-oauth, through its public API:
// `createOpenAIOAuthFetchHandler(settings)` (the handler behind `npx openai-oauth`), which reads
// CODEX_HOME/auth.json per request (@openai-oauth/local), and one `POST /v1/responses` per
// `invoke core.responses`. It takes a custom Codex base URL (`baseURL`, default
// https://chatgpt.com/backend-api/codex); the case's `chatgptBaseUrl` maps to
// `{normalized base}/codex`. Settings are left at their defaults otherwise, as a user runs it.
// Run only by the ecosystem run, inside the loopback-only namespace.
//   node openai-oauth.mjs --install-dir <dir holding node_modules/openai-oauth>
import { importPackage, responsesOutputText, installDirFromArgv, readAuthJsonTokens, scrub, serveDriver } from './lib/driver-kit.mjs';

const installDir = installDirFromArgv();
const { version } = await importPackage(installDir, 'openai-oauth').catch(() => ({ version: 'not-installed' }));
let tokens = null;

serveDriver({
  name: 'openai-oauth',
  version,
  capabilities: { authModes: ['chatgpt'], callsites: ['core.responses'], introspect: ['authJson'] },
  secrets: () => [tokens?.access_token, tokens?.refresh_token, tokens?.id_token],
  async configure(setup) {
    process.env.CODEX_HOME = setup.home;
    for (const [k, v] of Object.entries(setup.env ?? {})) process.env[k] = v;
    tokens = await readAuthJsonTokens(setup.home);
  },
  async invoke(callsite, setup) {
    if (callsite !== 'core.responses') return { kind: 'skipped', reason: `openai-oauth makes model requests only (${callsite})` };
    const { module: api } = await importPackage(installDir, 'openai-oauth');
    const base = setup.config?.chatgptBaseUrl;
    const handler = api.createOpenAIOAuthFetchHandler(base === undefined ? {} : { baseURL: `${base.replace(/\/+$/, '')}/codex` });
    const res = await handler(
      new Request('http://127.0.0.1:10531/v1/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5-codex-mock', input: 'Say hello.' }),
      }),
    );
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!res.ok) return { kind: 'sent', status: res.status, body: { error: scrub(body?.error?.message ?? text, [tokens?.access_token, tokens?.refresh_token]) } };
    return { kind: 'sent', status: res.status, body: { text: responsesOutputText(body) } };
  },
});
