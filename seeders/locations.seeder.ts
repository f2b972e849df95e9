import type { Actor } from '../src/shared/actor.js';
import { createLocation, defaultLocation, updateLocation } from '../src/modules/locations/location.service.js';
import { createTransfer, receiveTransfer, shipTransfer } from '../src/modules/transfers/transfer.service.js';
import { createCount, postCount, recordCounts, submitCount } from '../src/modules/stock-counts/stock-count.service.js';

const HOUR = 60 * 60 * 1000;

/**
 * The demo's places, after the trading history (every sale is at least six
 * hours before `now`): the main store, a back-room warehouse stocked by one
 * received transfer and checked by one posted count (one unit found damaged),
 * and a market stall with a transfer still on the road. All through the
 * services, so levels and the ledger agree.
 */
export async function seedLocations(stocked: { productId: number; stock: number }[], actor: Actor, now: Date): Promise<void> {
  const main = await defaultLocation();
  await updateLocation(main.id, { name: 'Main Store' }, actor);
  const warehouse = await createLocation({ name: 'Back-room Warehouse', code: 'WH1', type: 'warehouse' }, actor);
  const stall = await createLocation({ name: 'Market Stall', code: 'STALL', type: 'store' }, actor);
  const at = (hoursAgo: number) => ({ at: new Date(now.getTime() - hoursAgo * HOUR) });

  // The best-stocked products: a third of their stock goes to the back room, a few to the stall.
  const ranked = [...stocked].filter((p) => p.stock >= 30).sort((a, b) => b.stock - a.stock || a.productId - b.productId);
  const toWarehouse = ranked.slice(0, 6).map((p) => ({ productId: p.productId, quantity: Math.floor(p.stock / 3) }));
  const toStall = ranked.slice(6, 9).map((p) => ({ productId: p.productId, quantity: 5 }));

  const restock = await createTransfer({ fromLocationId: main.id, toLocationId: warehouse.id, items: toWarehouse, reference: 'Back-room restock' }, actor, at(5));
  await shipTransfer(restock.id, actor, at(5));
  await receiveTransfer(restock.id, {}, actor, at(4.5));

  const count = await createCount({ locationId: warehouse.id, productIds: toWarehouse.map((l) => l.productId), notes: 'Back-room check after the restock' }, actor, at(3));
  const lines = count.lines.map((line, index) => ({ productId: line.productId, counted: (line.expected ?? 0) - (index === 0 ? 1 : 0) }));
  await recordCounts(count.id, { lines }, actor, at(2.5));
  await submitCount(count.id, actor, at(2.5));
  await postCount(count.id, actor, at(2.4));

  if (toStall.length) {
    const weekend = await createTransfer({ fromLocationId: main.id, toLocationId: stall.id, items: toStall, reference: 'Stall for the weekend market' }, actor, at(2));
    await shipTransfer(weekend.id, actor, at(1.5));
  }
}
