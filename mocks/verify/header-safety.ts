import { reject, type Rejection } from './rejection.js';

/** Largest single header value the mock reads; longer values are refused, not parsed. */
export const MAX_HEADER_VALUE_BYTES = 8 * 1024;

/** Refuses header values with control characters (other than tab) or over the size cap. */
export function checkHeaderSafety(headers: Headers): Rejection | undefined {
  for (const [name, value] of headers) {
    if (value.length > MAX_HEADER_VALUE_BYTES) {
      return reject(431, 'header_too_large', `Header ${name} is longer than ${MAX_HEADER_VALUE_BYTES} bytes.`);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
      return reject(400, 'header_invalid', `Header ${name} contains a control character.`);
    }
  }
  return undefined;
}
