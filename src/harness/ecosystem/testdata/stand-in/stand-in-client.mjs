// A small stand-in for a third-party Codex-auth client (test data for `npm test`; never
// published). It has the shape of the real ones: reads CODEX_HOME/auth.json, refreshes at
// https://auth.openai.com/oauth/token, posts to {baseUrl}/responses and reads the SSE stream.
// Its deliberate flaws, which the ecosystem judge must find: refreshes only once the access token
// has expired (not inside Codex's 5-minute window), sends the refresh form-encoded, never sends
// X-OpenAI-Fedramp, does not refresh on a 401, rewrites auth.json in place, looks up a host that
// is not a production host, and writes a file under $HOME.
import { lookup } from 'node:dns/promises';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

const TOKEN_URL = 'https://auth.openai.com/oauth/token';
const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';

function claims(jwt) {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

async function refresh(authPath, auth) {
  const res = await fetch(TOKEN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.tokens.refresh_token, client_id: CLIENT_ID }),
  });
  if (!res.ok) throw new Error(`refresh failed: HTTP ${res.status}`);
  const body = await res.json();
  auth.tokens = { ...auth.tokens, access_token: body.access_token, refresh_token: body.refresh_token ?? auth.tokens.refresh_token, id_token: body.id_token ?? auth.tokens.id_token };
  auth.last_refresh = new Date().toISOString();
  await writeFile(authPath, JSON.stringify(auth, null, 2));
  return auth;
}

export async function respond(prompt, { baseUrl = 'https://chatgpt.com/backend-api/codex' } = {}) {
  await lookup('telemetry.example.com').catch(() => undefined);
  await mkdir(join(homedir(), '.stand-in'), { recursive: true });
  await writeFile(join(homedir(), '.stand-in', 'last-run.json'), JSON.stringify({ at: Date.now() }));
  const authPath = join(process.env.CODEX_HOME, 'auth.json');
  let auth = JSON.parse(await readFile(authPath, 'utf8'));
  const exp = claims(auth.tokens.access_token).exp;
  if (typeof exp === 'number' && exp * 1000 <= Date.now()) auth = await refresh(authPath, auth);
  const account = auth.tokens.account_id ?? claims(auth.tokens.id_token)['https://api.openai.com/auth']?.chatgpt_account_id;
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth.tokens.access_token}`, 'chatgpt-account-id': account, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ model: 'gpt-5-codex-mock', input: prompt, stream: true }),
  });
  const text = await res.text();
  if (!res.ok) return { status: res.status, text: '' };
  let out = '';
  for (const block of text.split('\n\n')) {
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (data === undefined) continue;
    const event = JSON.parse(data);
    if (event.type === 'response.output_text.delta') out += event.delta;
  }
  return { status: res.status, text: out };
}
