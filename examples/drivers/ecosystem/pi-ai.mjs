// Driver (protocol v1) for @mariozechner/pi-ai's OpenAI Codex provider, through its public API:
// the caller holds the OAuth credentials (here: taken from the case's auth.json, expiry from the
// access token's exp, as an app would store them after `loginOpenAICodex`), asks
// `getOAuthApiKey("openai-codex", credentials)` for a key (pi-ai refreshes when it sees them
// expired and hands the new credentials back to the caller), then `complete(model, context,
// { apiKey })`, one turn per `invoke core.responses`. The model's `baseUrl` (default
// https://chatgpt.com/backend-api) is pi-ai's custom base URL; the case's `chatgptBaseUrl` maps to
// the normalized base. The driver keeps handed-back credentials in memory, like a caller would.
// Run only by the ecosystem run, inside the loopback-only namespace.
//   node pi-ai.mjs --install-dir <dir holding node_modules/@mariozechner/pi-ai>
import { importPackage, installDirFromArgv, jwtExpiryMs, readAuthJsonTokens, sha256, serveDriver } from './lib/driver-kit.mjs';

const installDir = installDirFromArgv();
const { version } = await importPackage(installDir, '@mariozechner/pi-ai').catch(() => ({ version: 'not-installed' }));
let tokens = null;
let credentials;
let handedBack = null;

serveDriver({
  name: 'pi-ai',
  version,
  capabilities: { authModes: ['chatgpt'], callsites: ['core.responses'], introspect: ['authJson', 'callerStore'] },
  secrets: () => [tokens?.access_token, tokens?.refresh_token, tokens?.id_token, credentials?.access, credentials?.refresh],
  async configure(setup) {
    tokens = await readAuthJsonTokens(setup.home);
    credentials =
      tokens === null
        ? undefined
        : { access: tokens.access_token, refresh: tokens.refresh_token, expires: jwtExpiryMs(tokens.access_token) ?? Date.now() + 3_600_000, ...(typeof tokens.account_id === 'string' ? { accountId: tokens.account_id } : {}) };
  },
  async invoke(callsite, setup) {
    if (callsite !== 'core.responses') return { kind: 'skipped', reason: `pi-ai makes model requests only (${callsite})` };
    if (credentials === undefined) return { kind: 'errored', message: 'no credentials in auth.json' };
    const { module: ai } = await importPackage(installDir, '@mariozechner/pi-ai');
    // Releases before the `./oauth` export (0.51.x: no exports map) export the OAuth helpers from the main module.
    const oauth = await importPackage(installDir, '@mariozechner/pi-ai', './oauth').then((m) => m.module, () => ai);
    const got = await oauth.getOAuthApiKey('openai-codex', { 'openai-codex': credentials });
    if (got === null) return { kind: 'errored', message: 'getOAuthApiKey returned no key' };
    if (got.newCredentials !== credentials) {
      credentials = got.newCredentials;
      handedBack = got.newCredentials;
    }
    const registered = ai.getModel('openai-codex', 'gpt-5.1-codex-mini') ?? ai.getModels('openai-codex')[0];
    const base = setup.config?.chatgptBaseUrl;
    const model = base === undefined ? registered : { ...registered, baseUrl: base.replace(/\/+$/, '') };
    const message = await ai.complete(model, { messages: [{ role: 'user', content: 'Say hello.', timestamp: Date.now() }] }, { apiKey: got.apiKey });
    const text = message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
    if (message.stopReason === 'error' || message.stopReason === 'aborted') return { kind: 'errored', message: `pi-ai: ${message.errorMessage ?? message.stopReason}` };
    return { kind: 'sent', status: 200, body: { text } };
  },
  introspect(what) {
    if (what === 'callerStore') {
      return handedBack === null ? { handedBack: false } : { handedBack: true, digests: { accessToken: sha256(handedBack.access), refreshToken: sha256(handedBack.refresh) } };
    }
    throw new Error(`cannot introspect ${what}`);
  },
});
