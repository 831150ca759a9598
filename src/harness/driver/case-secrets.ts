import type { CaseSetup } from '../implementation.js';
import { isRecord } from './driver-response.js';

/**
 * Credentials the harness handed the driver for a case (auth.json values, env, host tokens):
 * fingerprinted wherever its stderr shows them.
 */
export function knownSecrets(setup: CaseSetup | undefined): string[] {
  if (setup === undefined) return [];
  const out: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isRecord(value)) Object.values(value).forEach(collect);
  };
  for (const [key, value] of Object.entries(setup.env)) if (/KEY|TOKEN|SECRET|PASS/i.test(key)) collect(value);
  collect(setup.hostTokens);
  collect(setup.hostHeaders);
  for (const text of Object.values(setup.files)) {
    try {
      collect(JSON.parse(text));
    } catch {
      // not JSON (config.toml, a PEM): the shape-based redaction covers what looks like a secret
    }
  }
  return out.filter((x) => x.length >= 12 && !/^https?:\/\//.test(x));
}
