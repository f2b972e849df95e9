/**
 * Reorder formula (pure: the service feeds it SQL aggregates).
 *
 *   dailySalesRate      = units sold in the last 30 days / 30
 *                         (non-cancelled sales + non-cancelled storefront orders)
 *   daysOfCover         = stock / dailySalesRate            (null when nothing sold)
 *   leadTimeDays        = the supplier's lead time           (7 without a supplier)
 *   safetyDays          = ceil(leadTimeDays x 50%)
 *   safetyStock         = ceil(dailySalesRate x safetyDays)  (at least 1 when the product sells, else 0)
 *   reorderPoint        = ceil(dailySalesRate x leadTimeDays) + safetyStock
 *   onOrder             = ordered - received on open purchases (ordered, partially received)
 *   needed              = ceil(reorderPoint + dailySalesRate x 30 - stock - onOrder), at least 0
 *   recommendedQuantity = max(needed, product.reorderQuantity when set)
 *
 * A product is recommended when stock + onOrder <= reorderPoint and the
 * recommended quantity is above 0 (an unsold, out-of-stock product without a
 * reorder quantity has no demand to order for).
 */
export const SALES_WINDOW_DAYS = 30;
export const COVER_DAYS = 30;
export const SAFETY_FACTOR = 0.5;
export const DEFAULT_LEAD_TIME_DAYS = 7;

export interface ReorderInput {
  stock: number;
  /** Units sold in the sales window. */
  unitsSold: number;
  leadTimeDays?: number | null;
  onOrder: number;
  reorderQuantity?: number | null;
  windowDays?: number;
  coverDays?: number;
}

export interface ReorderResult {
  dailySalesRate: number;
  daysOfCover: number | null;
  leadTimeDays: number;
  safetyDays: number;
  safetyStock: number;
  reorderPoint: number;
  onOrder: number;
  recommendedQuantity: number;
  needsReorder: boolean;
  reason: string;
}

/** Ceil that ignores binary noise such as 12.000000000000002. */
const ceil = (n: number) => Math.ceil(n - 1e-9);
const round = (n: number, decimals: number) => Math.round(n * 10 ** decimals) / 10 ** decimals;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function reorderRecommendation(input: ReorderInput): ReorderResult {
  const windowDays = input.windowDays ?? SALES_WINDOW_DAYS;
  const coverDays = input.coverDays ?? COVER_DAYS;
  const leadTimeDays = input.leadTimeDays ?? DEFAULT_LEAD_TIME_DAYS;
  const stock = Math.max(0, input.stock);
  const onOrder = Math.max(0, input.onOrder);
  const rate = Math.max(0, input.unitsSold) / windowDays;

  const safetyDays = ceil(leadTimeDays * SAFETY_FACTOR);
  const safetyStock = rate > 0 ? Math.max(1, ceil(rate * safetyDays)) : 0;
  const leadTimeDemand = ceil(rate * leadTimeDays);
  const reorderPoint = leadTimeDemand + safetyStock;
  const needed = Math.max(0, ceil(reorderPoint + rate * coverDays - stock - onOrder));
  const useReorderQuantity = !!input.reorderQuantity && input.reorderQuantity > needed;
  const recommendedQuantity = useReorderQuantity ? input.reorderQuantity! : needed;
  const daysOfCover = rate > 0 ? round(stock / rate, 1) : null;
  const needsReorder = stock + onOrder <= reorderPoint && recommendedQuantity > 0;

  const demand =
    rate > 0
      ? `Sells ${round(rate, 2)}/day (${input.unitsSold} in ${windowDays} days); ${stock} left covers ${daysOfCover} days, ` +
        `${daysOfCover! < leadTimeDays + safetyDays ? 'less' : 'more'} than the ${leadTimeDays}-day supplier lead time plus ${plural(safetyDays, 'day')} safety stock ` +
        `(reorder point ${reorderPoint} = ${leadTimeDemand} for the lead time + ${safetyStock} safety)`
      : `No sales in the last ${windowDays} days; ${stock} in stock (reorder point 0)`;
  const order = useReorderQuantity
    ? `order ${recommendedQuantity} (the product's reorder quantity; ${needed} would cover ${coverDays} days).`
    : rate > 0
      ? `order ${recommendedQuantity} to cover ${coverDays} days after the reorder point.`
      : `order ${recommendedQuantity}.`;
  const reason = `${demand}; ${onOrder} on order; ${order}`;

  return {
    dailySalesRate: round(rate, 2),
    daysOfCover,
    leadTimeDays,
    safetyDays,
    safetyStock,
    reorderPoint,
    onOrder,
    recommendedQuantity,
    needsReorder,
    reason,
  };
}
