/**
 * The files `request` reads besides config.toml (a JWKS, host-provided tokens): each read as JSON
 * and checked for its shape, refused with a typed error that never echoes the file's content (it
 * may hold secrets).
 */
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import type { HostTokens } from '../../auth/load-auth.js';
import { ConformanceInputError } from '../../errors.js';

async function readJsonFile(path: string, what: string, code: 'JWKS_UNAVAILABLE' | 'BAD_CONFIG', fix: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConformanceInputError(code, `cannot read the ${what} file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, fix, { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The file may hold secrets: never echo its content.
    throw new ConformanceInputError(code, `the ${what} file ${path} is not JSON.`, fix);
  }
}

export async function readJwksFile(path: string): Promise<JSONWebKeySet> {
  const fix = 'pass a JSON Web Key Set file: {"keys": [{"kty": "RSA", "kid": ..., "n": ..., "e": ...}]}.';
  const value = await readJsonFile(path, 'JWKS', 'JWKS_UNAVAILABLE', fix);
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    throw new ConformanceInputError('JWKS_UNAVAILABLE', `the JWKS file ${path} has no "keys" array.`, fix);
  }
  const keys = (value as { keys: unknown[] }).keys;
  if (!keys.every((k) => typeof k === 'object' && k !== null && !Array.isArray(k))) {
    throw new ConformanceInputError('JWKS_UNAVAILABLE', `the JWKS file ${path} has a key that is not an object.`, fix);
  }
  return value as JSONWebKeySet;
}

export async function readHostTokensFile(path: string): Promise<HostTokens> {
  const fix = 'pass a JSON file {"accessToken": "<ChatGPT access token>", "accountId": "<account id>", "planType": "<plan>"} (planType optional).';
  const value = await readJsonFile(path, 'host tokens', 'BAD_CONFIG', fix);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConformanceInputError('BAD_CONFIG', `the host tokens file ${path} is not a JSON object.`, fix);
  }
  const o = value as Record<string, unknown>;
  const field = (name: string, required: boolean): string | undefined => {
    const v = o[name];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '') {
      throw new ConformanceInputError('BAD_CONFIG', `the host tokens file ${path}: "${name}" must be a non-empty string.`, fix);
    }
    return v;
  };
  const planType = field('planType', false);
  return { accessToken: field('accessToken', true) as string, accountId: field('accountId', true) as string, ...(planType !== undefined && { planType }) };
}
