/**
 * Typed errors for bad input. Every error carries a stable `code`, a message that says what is
 * wrong and how to fix it, and never a raw secret (callers pass fingerprints, see src/redact/).
 * The CLI maps any `ConformanceInputError` to exit code 2 without a stack trace.
 */
export const INPUT_ERROR_CODES = [
  'AUTH_JSON_MALFORMED',
  'AUTH_JSON_MISSING',
  'AUTH_JSON_WRITE_FAILED',
  'NO_CREDENTIALS',
  'JWT_MALFORMED',
  'JWT_BAD_BASE64',
  'JWT_ALG_REJECTED',
  'JWT_UNKNOWN_KID',
  'JWT_INVALID',
  'JWT_EXPIRED',
  'JWKS_UNAVAILABLE',
  'PKCS8_INVALID',
  'TASK_REGISTRATION_FAILED',
  'SEALED_BOX_INVALID',
  'AGENT_ASSERTION_MALFORMED',
  'UNKNOWN_CALLSITE',
  'CALLSITE_REFUSED',
  'BAD_URL',
  'BAD_CONFIG',
  'REFRESH_FAILED',
  'USAGE',
  'BAD_SCENARIO',
  'DRIVER_PROTOCOL',
  'NETWORK_REFUSED',
] as const;
export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];

export class ConformanceInputError extends Error {
  override readonly name = 'ConformanceInputError';
  readonly code: InputErrorCode;
  readonly fix: string;
  constructor(code: InputErrorCode, problem: string, fix: string, options?: { cause?: unknown }) {
    super(`${problem} Fix: ${fix}`, options);
    this.code = code;
    this.fix = fix;
  }
}

export function isInputError(e: unknown): e is ConformanceInputError {
  return e instanceof ConformanceInputError;
}
