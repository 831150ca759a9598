/**
 * Personal access tokens (`at-...` in CODEX_ACCESS_TOKEN or auth.json): the client learns the
 * account behind one from `GET {authapi}/v1/user-auth-credential/whoami` with `Bearer <PAT>`.
 * The authapi base is env CODEX_AUTHAPI_BASE_URL (trimmed, trailing `/` removed) when non-empty,
 * else https://auth.openai.com/api/accounts. The answer must be 2xx JSON with string
 * `chatgpt_user_id`, `chatgpt_account_id`, `chatgpt_plan_type`, boolean
 * `chatgpt_account_is_fedramp` and an optional `email`.
 * Source: codex-rs/login/src/auth/personal_access_token.rs (0.171.0).
 */
import { ConformanceInputError } from '../errors.js';
import { fingerprint } from '../redact/fingerprint.js';
import type { Env, PersonalAccessTokenMetadata } from './load-auth.js';

export const CODEX_AUTHAPI_BASE_URL_ENV = 'CODEX_AUTHAPI_BASE_URL';
export const PROD_AUTHAPI_BASE_URL = 'https://auth.openai.com/api/accounts';
export const WHOAMI_PATH = '/v1/user-auth-credential/whoami';

/** The whoami URL for this environment. */
export function whoamiUrl(env: Env): string {
  const override = env[CODEX_AUTHAPI_BASE_URL_ENV]?.trim().replace(/\/+$/, '');
  return `${override !== undefined && override !== '' ? override : PROD_AUTHAPI_BASE_URL}${WHOAMI_PATH}`;
}

export async function hydratePersonalAccessToken(token: string, env: Env, fetchImpl: typeof fetch): Promise<PersonalAccessTokenMetadata> {
  const url = whoamiUrl(env);
  const failed = (why: string, cause?: unknown): ConformanceInputError =>
    new ConformanceInputError(
      'BAD_CONFIG',
      `the personal access token ${fingerprint(token)} could not be described by ${url}: ${why}.`,
      'check the token and CODEX_AUTHAPI_BASE_URL (the whoami endpoint must answer 2xx JSON).',
      cause === undefined ? undefined : { cause },
    );
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'GET', headers: { authorization: `Bearer ${token}` } });
  } catch (cause) {
    throw failed('the request failed', cause);
  }
  if (!response.ok) throw failed(`status ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw failed('the answer is not JSON', cause);
  }
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const str = (k: string): string => {
    const v = b[k];
    if (typeof v !== 'string') throw failed(`field ${k} is ${v === undefined ? 'missing' : typeof v}, not a string`);
    return v;
  };
  if (typeof b['chatgpt_account_is_fedramp'] !== 'boolean') throw failed('field chatgpt_account_is_fedramp is not a boolean');
  const email = b['email'];
  if (email !== undefined && email !== null && typeof email !== 'string') throw failed('field email is not a string or null');
  return {
    chatgptUserId: str('chatgpt_user_id'),
    chatgptAccountId: str('chatgpt_account_id'),
    chatgptPlanType: str('chatgpt_plan_type'),
    chatgptAccountIsFedramp: b['chatgpt_account_is_fedramp'] as boolean,
    ...(typeof email === 'string' ? { email } : {}),
  };
}
