// Driver (protocol v1) for the opencode plugin opencode-openai-codex-auth, driven the way opencode
// does: the plugin function is called with opencode's client (here an in-memory `auth.set`, the
// host's credential store), its `auth.loader(getAuth, provider)` returns `{ apiKey, baseURL,
// fetch }`, and opencode's AI SDK (the OpenAI Responses provider) calls that fetch with
// `POST {baseURL}/responses` and a Responses body. One such call per `invoke core.responses`.
// The host holds the OAuth credentials (taken from the case's auth.json, expiry from the access
// token's exp). The plugin hard-codes its base URL (https://chatgpt.com/backend-api): no custom
// base. Run only by the ecosystem run, inside the loopback-only namespace.
//   node opencode-openai-codex-auth.mjs --install-dir <dir holding node_modules/opencode-openai-codex-auth>
import { importPackage, responsesOutputText, installDirFromArgv, jwtExpiryMs, readAuthJsonTokens, scrub, sha256, serveDriver } from './lib/driver-kit.mjs';

const installDir = installDirFromArgv();
const { version } = await importPackage(installDir, 'opencode-openai-codex-auth').catch(() => ({ version: 'not-installed' }));
let tokens = null;
let stored;
let handedBack = null;

serveDriver({
  name: 'opencode-openai-codex-auth',
  version,
  capabilities: { authModes: ['chatgpt'], callsites: ['core.responses'], introspect: ['authJson', 'callerStore'] },
  secrets: () => [tokens?.access_token, tokens?.refresh_token, tokens?.id_token, stored?.access, stored?.refresh],
  async configure(setup) {
    tokens = await readAuthJsonTokens(setup.home);
    stored = tokens === null ? undefined : { type: 'oauth', access: tokens.access_token, refresh: tokens.refresh_token, expires: jwtExpiryMs(tokens.access_token) ?? Date.now() + 3_600_000 };
  },
  async invoke(callsite, setup) {
    if (callsite !== 'core.responses') return { kind: 'skipped', reason: `the plugin serves model requests only (${callsite})` };
    if (setup.config?.chatgptBaseUrl !== undefined) return { kind: 'skipped', reason: 'the plugin hard-codes https://chatgpt.com/backend-api (CODEX_BASE_URL); it takes no custom base URL' };
    if (stored === undefined) return { kind: 'errored', message: 'no credentials in auth.json' };
    const { module: mod } = await importPackage(installDir, 'opencode-openai-codex-auth');
    const client = {
      auth: {
        set: async ({ body }) => {
          stored = body;
          handedBack = body;
        },
      },
    };
    const hooks = await mod.OpenAIAuthPlugin({ client });
    const sdk = await hooks.auth.loader(async () => stored, { options: {}, models: {} });
    if (typeof sdk?.fetch !== 'function') return { kind: 'errored', message: 'the plugin loader returned no fetch (it skips tokens without an account id)' };
    const res = await sdk.fetch(`${sdk.baseURL}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sdk.apiKey}` },
      body: JSON.stringify({ model: 'gpt-5-codex', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Say hello.' }] }] }),
    });
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!res.ok) return { kind: 'sent', status: res.status, body: { error: scrub(body?.error?.message ?? text, [stored?.access, stored?.refresh]) } };
    return { kind: 'sent', status: res.status, body: { text: responsesOutputText(body) } };
  },
  introspect(what) {
    if (what === 'callerStore') {
      return handedBack === null ? { handedBack: false } : { handedBack: true, digests: { accessToken: sha256(handedBack.access), refreshToken: sha256(handedBack.refresh) } };
    }
    throw new Error(`cannot introspect ${what}`);
  },
});
