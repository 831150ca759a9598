// Driver (protocol v1) for the npm package codex-as-api, through its public API: a
// `ChatGPTOAuthProvider` that reads CODEX_HOME/auth.json and `chat(messages)`, one model turn per
// `invoke core.responses` (it fetches the model catalogue, then posts to `{baseUrl}/responses`).
// The package takes a custom base URL (`baseUrl`, default https://chatgpt.com/backend-api/codex);
// the case's `chatgptBaseUrl` (Codex semantics, e.g. https://chatgpt.com/backend-api/) maps to
// `{normalized base}/codex`. Run only by the ecosystem run, inside the loopback-only namespace.
//   node codex-as-api.mjs --install-dir <dir holding node_modules/codex-as-api>
import { importPackage, installDirFromArgv, readAuthJsonTokens, scrub, errorText, serveDriver } from './lib/driver-kit.mjs';

const installDir = installDirFromArgv();
const { version } = await importPackage(installDir, 'codex-as-api').catch(() => ({ version: 'not-installed' }));
let tokens = null;

function baseUrlFor(setup) {
  const base = setup.config?.chatgptBaseUrl;
  if (base === undefined) return undefined;
  return `${base.replace(/\/+$/, '')}/codex`;
}

serveDriver({
  name: 'codex-as-api',
  version,
  capabilities: { authModes: ['chatgpt'], callsites: ['core.responses'], introspect: ['authJson'] },
  secrets: () => [tokens?.access_token, tokens?.refresh_token, tokens?.id_token],
  async configure(setup) {
    process.env.CODEX_HOME = setup.home;
    for (const [k, v] of Object.entries(setup.env ?? {})) process.env[k] = v;
    tokens = await readAuthJsonTokens(setup.home);
  },
  async invoke(callsite, setup) {
    if (callsite !== 'core.responses') return { kind: 'skipped', reason: `codex-as-api makes model requests only (${callsite})` };
    const { module: api } = await importPackage(installDir, 'codex-as-api');
    const baseUrl = baseUrlFor(setup);
    const provider = new api.ChatGPTOAuthProvider({ ...(baseUrl === undefined ? {} : { baseUrl }), timeout: 20_000 });
    try {
      const answer = await provider.chat([{ role: 'user', content: 'Say hello.' }]);
      return { kind: 'sent', status: 200, body: { text: answer.content } };
    } catch (e) {
      if (e instanceof api.ChatGPTOAuthUpstreamError) return { kind: 'sent', status: e.status, body: { error: scrub(errorText(e), [tokens?.access_token, tokens?.refresh_token]) } };
      throw e;
    }
  },
});
