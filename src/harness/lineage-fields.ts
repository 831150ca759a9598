/**
 * The fields of a journal entry that tell a credential's lineage (its login family, generation,
 * whether it was spent or redeemed twice...), wherever the journal carries them: at the top of
 * the entry or inside its credential attribution or verdict. Pages show them generically, so a
 * field the journal gains later appears without a change here.
 */
export const LINEAGE_KEY = /lineage|generation|family|parent|spent|redeem|rotat/i;

export interface LineageField {
  /** Dotted path in the entry, e.g. `credential.issued.lineage`. */
  readonly path: string;
  readonly value: unknown;
}

export function lineageFields(entry: object): LineageField[] {
  const out: LineageField[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > 4) return;
    for (const [key, v] of Object.entries(value)) {
      const here = path === '' ? key : `${path}.${key}`;
      if (LINEAGE_KEY.test(key)) out.push({ path: here, value: v });
      else if (key !== 'headers') walk(v, here, depth + 1);
    }
  };
  walk(entry, '', 0);
  return out;
}
