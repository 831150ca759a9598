// Driver (protocol v1) for the local stand-in client (test data for `npm test`), built on the same
// kit as the real ecosystem drivers. `--mode works|crash|hang`: crash exits during invoke, hang
// never answers it (the harness must report both and go on).
import { readAuthJsonTokens, serveDriver } from '../../../../../examples/drivers/ecosystem/lib/driver-kit.mjs';
import { respond } from './stand-in-client.mjs';

const mode = process.argv[process.argv.indexOf('--mode') + 1] ?? 'works';
let tokens = null;

serveDriver({
  name: mode === 'works' ? 'stand-in' : `stand-in-${mode}`,
  version: '0.0.0',
  capabilities: { authModes: ['chatgpt'], callsites: ['core.responses'], introspect: ['authJson'] },
  secrets: () => [tokens?.access_token, tokens?.refresh_token, tokens?.id_token],
  async configure(setup) {
    process.env.CODEX_HOME = setup.home;
    tokens = await readAuthJsonTokens(setup.home);
  },
  async invoke(callsite, setup) {
    if (mode === 'crash') process.exit(3);
    if (mode === 'hang') await new Promise(() => {});
    const base = setup.config?.chatgptBaseUrl;
    const answer = await respond('Say hello.', base === undefined ? {} : { baseUrl: `${base.replace(/\/+$/, '')}/codex` });
    return { kind: 'sent', status: answer.status, body: { text: answer.text } };
  },
});
