import { assertNever } from '../../assert-never.js';
import type { Outcome } from '../implementation.js';
import type { WireOutcome } from './protocol.js';

/** A driver's `invoke` outcome as the harness's Outcome: the same kinds, optional fields only when present. */
export function toOutcome(wire: WireOutcome): Outcome {
  switch (wire.kind) {
    case 'sent':
      return wire.body === undefined ? { kind: 'sent', status: wire.status } : { kind: 'sent', status: wire.status, body: wire.body };
    case 'refused':
      return { kind: 'refused', reason: wire.reason };
    case 'errored':
      return { kind: 'errored', message: wire.message };
    case 'skipped':
      return wire.link === undefined ? { kind: 'skipped', reason: wire.reason } : { kind: 'skipped', reason: wire.reason, link: wire.link };
    default:
      return assertNever(wire, 'outcome');
  }
}
