import { Op } from 'sequelize';
import { conflict } from '../../shared/errors.js';
import { ensureSequence, nextSequenceValue, setSequenceValue } from '../settings/sequence.service.js';
import { Product } from './product.model.js';

const SEQUENCE_NAME = 'sku';
/** How many taken numbers to skip (SKUs typed in by hand) before giving up. */
const MAX_SKIPS = 1000;

/**
 * The first three letters of the category, uppercased: "Electronics" -> "ELE".
 * Accents are folded and digits/punctuation skipped, so every SKU stays plain
 * ASCII; short categories are padded with X, an empty one becomes "GEN".
 */
export function skuPrefix(category: string | null | undefined): string {
  const letters = (category ?? '')
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toUpperCase();
  if (!letters) return 'GEN';
  return letters.slice(0, 3).padEnd(3, 'X');
}

/** `ELE` + 42 -> `ELE-000042` (numbers past 999999 simply grow longer). */
export function formatSku(prefix: string, number: number): string {
  return `${prefix}-${String(number).padStart(6, '0')}`;
}

/** Moves the prefix's counter to `value` (bulk imports that numbered their own SKUs). */
export function setSkuSequence(prefix: string, value: number): Promise<void> {
  return setSequenceValue(SEQUENCE_NAME, prefix, value);
}

/** Creates the prefix's counter ahead of the product's transaction (see ensureSequence). */
export function ensureSkuSequence(category: string | null | undefined): Promise<void> {
  return ensureSequence(SEQUENCE_NAME, skuPrefix(category));
}

/** A free SKU for the category: the next counter value, skipping numbers already used by hand. */
export async function generateSku(category: string | null | undefined): Promise<string> {
  const prefix = skuPrefix(category);
  for (let skipped = 0; skipped < MAX_SKIPS; skipped++) {
    const sku = formatSku(prefix, await nextSequenceValue(SEQUENCE_NAME, prefix));
    const taken = await Product.count({ where: { sku: { [Op.eq]: sku } } });
    if (taken === 0) return sku;
  }
  throw conflict(`Could not find a free SKU for prefix ${prefix}; give one explicitly`);
}
