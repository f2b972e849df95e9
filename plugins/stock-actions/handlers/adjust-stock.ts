import { locationField } from '../../../src/admin/locations.js';
import { adjustStockBody, type AdjustStockInput } from '../../../src/modules/products/product.schemas.js';

/** The Adjust stock form's multipart fields (all strings) as the service's input, validated by the REST schema. */
export function adjustStockInput(payload: Record<string, unknown>): AdjustStockInput {
  const note = typeof payload.note === 'string' && payload.note.trim() ? payload.note : undefined;
  const delta = payload.delta === undefined || payload.delta === '' ? Number.NaN : Number(payload.delta);
  return adjustStockBody.parse({ delta, reason: payload.reason, note, locationId: locationField(payload.locationId) });
}
