/**
 * Environment variables a scenario gives a codex actor (`codexExec`, `codexAppServer`) (e.g. `OPENAI_BASE_URL`, corpus C3).
 * The harness owns the variables that place the binary (CODEX_HOME, HOME, PATH), carry its
 * credentials (CODEX_ACCESS_TOKEN, OPENAI_API_KEY, CODEX_API_KEY), trust the run CA and point its
 * endpoints at the mock: a scenario may set none of those, nor anything that looks like a secret
 * (a secret-like name, or a value shaped like an API key, a personal access token or a JWT),
 * since scenario files and their outcomes are printed.
 */
export const HARNESS_ENV = [
  'CODEX_HOME',
  'HOME',
  'PATH',
  'CODEX_ACCESS_TOKEN',
  'OPENAI_API_KEY',
  'CODEX_API_KEY',
  'CODEX_CA_CERTIFICATE',
  'SSL_CERT_FILE',
  'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL',
  'CODEX_AGENT_IDENTITY_JWKS_BASE_URL',
  'CODEX_AUTHAPI_BASE_URL',
  'CODEX_REFRESH_TOKEN_URL_OVERRIDE',
] as const;

const NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|COOKIE|SESSION)/;
/** API keys (sk-), personal access tokens (at-), JWTs (three base64url parts starting eyJ), bearer values. */
const SECRET_VALUE = /(^|[^A-Za-z0-9])(sk-[A-Za-z0-9_-]{8,}|at-[A-Za-z0-9_-]{8,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.|Bearer\s)/;

export type EnvProblem =
  | { readonly kind: 'badName'; readonly name: string }
  | { readonly kind: 'tooLong'; readonly name: string }
  | { readonly kind: 'harnessOwned'; readonly name: string }
  | { readonly kind: 'secretName'; readonly name: string }
  | { readonly kind: 'secretValue'; readonly name: string };

/** What is wrong with an actor's env, or undefined when it may be passed to the binary. */
export function actorEnvProblem(env: Readonly<Record<string, string>>): EnvProblem | undefined {
  for (const [name, value] of Object.entries(env)) {
    if (!NAME.test(name)) return { kind: 'badName', name };
    if (value.length > 512) return { kind: 'tooLong', name };
    if ((HARNESS_ENV as readonly string[]).includes(name)) return { kind: 'harnessOwned', name };
    if (SECRET_NAME.test(name)) return { kind: 'secretName', name };
    if (SECRET_VALUE.test(value)) return { kind: 'secretValue', name };
  }
  return undefined;
}

/** The problem as one sentence (never the value: it may be a secret). */
export function describeEnvProblem(p: EnvProblem): string {
  switch (p.kind) {
    case 'badName':
      return `env name "${p.name}" is not an environment variable name (^[A-Z][A-Z0-9_]{0,63}$)`;
    case 'tooLong':
      return `env "${p.name}" is longer than 512 characters`;
    case 'harnessOwned':
      return `env "${p.name}" is set by the harness (it places the binary, carries its login or points it at the mock)`;
    case 'secretName':
      return `env "${p.name}" is named like a secret; scenario files hold no secrets (credentials come from mock.credentials)`;
    case 'secretValue':
      return `env "${p.name}" holds a value shaped like a secret (API key, access token, JWT or bearer); scenario files hold no secrets`;
  }
}
