/**
 * Reads an `AgentAssertion` header back: decoding and Ed25519 verification for the reference's
 * own unit tests (src/auth/agent-identity/agent-assertion.test.ts). Not part of the reference
 * client, which only builds the header: the rules judge assertions with their own checks
 * (src/rules/assertion-checks.ts) and the mock with its own (mocks/verify/), so this reader is kept
 * out of src/auth, where `npm run mutation` would count it as reference code no rule exercises.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ConformanceInputError } from '../errors.js';
import { fingerprint } from '../redact/fingerprint.js';
import { AGENT_ASSERTION_SCHEME, agentAssertionSigningText, envelopeJson, rfc3339Seconds } from '../auth/agent-identity/agent-assertion.js';

/** Longer assertions are refused before decoding (a real one is a few hundred characters). */
export const MAX_AGENT_ASSERTION_CHARS = 8192;

const RFC3339_SECONDS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Whether `timestamp` has the exact shape the client sends (`YYYY-MM-DDTHH:MM:SSZ`, a real instant). */
export function isRfc3339Seconds(timestamp: string): boolean {
  if (!RFC3339_SECONDS_Z.test(timestamp)) return false;
  const t = new Date(timestamp);
  return !Number.isNaN(t.getTime()) && rfc3339Seconds(t) === timestamp;
}

export interface DecodedAgentAssertion {
  readonly agentRuntimeId: string;
  readonly taskId: string;
  readonly timestamp: string;
  /** As sent: standard base64 of the 64-byte signature (not checked here). */
  readonly signature: string;
  /**
   * True when the token is byte-for-byte what the client would produce from these fields: compact
   * JSON, keys in sorted order, no other keys.
   */
  readonly canonical: boolean;
}

const B64URL_NO_PAD = /^[A-Za-z0-9_-]+$/;
const FIELDS = ['agent_runtime_id', 'signature', 'task_id', 'timestamp'] as const;

/**
 * Decodes an `Authorization` value `AgentAssertion <token>` (scheme matched case-insensitively,
 * one space). Every malformed input is AGENT_ASSERTION_MALFORMED; the token is only shown as a
 * fingerprint.
 */
export function decodeAgentAssertion(headerValue: string): DecodedAgentAssertion {
  const shown = fingerprint(headerValue);
  const fail = (problem: string, fix: string): never => {
    throw new ConformanceInputError('AGENT_ASSERTION_MALFORMED', `AgentAssertion header ${shown}: ${problem}.`, fix);
  };
  const buildFix = 'send "AgentAssertion " + base64url (no padding) of {"agent_runtime_id","signature","task_id","timestamp"} as strings.';
  if (headerValue.length > MAX_AGENT_ASSERTION_CHARS + AGENT_ASSERTION_SCHEME.length + 1) {
    fail(`it is longer than ${MAX_AGENT_ASSERTION_CHARS} characters`, buildFix);
  }
  const space = headerValue.indexOf(' ');
  const scheme = space < 0 ? headerValue : headerValue.slice(0, space);
  if (scheme.toLowerCase() !== AGENT_ASSERTION_SCHEME.toLowerCase() || space < 0) {
    fail(`the scheme is not ${AGENT_ASSERTION_SCHEME} followed by a space`, buildFix);
  }
  const token = headerValue.slice(space + 1);
  if (!B64URL_NO_PAD.test(token)) fail('the token is empty or not base64url without padding', buildFix);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(token, 'base64url'));
  } catch {
    return fail('the token does not decode to UTF-8 text', buildFix);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('the token does not decode to JSON', buildFix);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('the token is not a JSON object', buildFix);
  const o = parsed as Record<string, unknown>;
  for (const name of FIELDS) {
    if (typeof o[name] !== 'string') fail(`field ${name} is ${o[name] === undefined ? 'missing' : 'not a string'}`, buildFix);
  }
  const fields = {
    agentRuntimeId: o['agent_runtime_id'] as string,
    taskId: o['task_id'] as string,
    timestamp: o['timestamp'] as string,
    signature: o['signature'] as string,
  };
  const canonical = Buffer.from(envelopeJson(fields), 'utf8').toString('base64url') === token;
  return { ...fields, canonical };
}

const STD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Whether the assertion's signature is a valid Ed25519 signature by `publicKey` (a KeyObject, or
 * the raw 32-byte key) over "{agent_runtime_id}:{task_id}:{timestamp}". Never throws: a signature
 * that is not standard base64 of 64 bytes, or a key that is not Ed25519, gives false.
 */
export function verifyAgentAssertion(decoded: Pick<DecodedAgentAssertion, 'agentRuntimeId' | 'taskId' | 'timestamp' | 'signature'>, publicKey: KeyObject | Uint8Array): boolean {
  if (decoded.signature.length % 4 !== 0 || !STD_BASE64.test(decoded.signature)) return false;
  const signature = Buffer.from(decoded.signature, 'base64');
  if (signature.length !== 64) return false;
  const key = ed25519PublicKey(publicKey);
  if (key === undefined) return false;
  try {
    return verify(null, Buffer.from(agentAssertionSigningText(decoded.agentRuntimeId, decoded.taskId, decoded.timestamp), 'utf8'), key, signature);
  } catch {
    return false;
  }
}

function ed25519PublicKey(publicKey: KeyObject | Uint8Array): KeyObject | undefined {
  try {
    if (publicKey instanceof Uint8Array) {
      if (publicKey.length !== 32) return undefined;
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
    }
    const key = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}
