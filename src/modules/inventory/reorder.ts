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
 *   lowStock            = stock <= the product's low-stock threshold (its own, else the shop's)
 *   needed              = ceil(reorderPoint + dailySalesRate x 30 - stock - onOrder), at least 0,
 *                         and when low, at least what lifts stock + onOrder above the threshold
 *   recommendedQuantity = max(needed, product.reorderQuantity when set)
 *
 * A product is recommended when it is low on stock (always, whatever its
 * sales), or when stock + onOrder <= reorderPoint and the recommended
 * quantity is above 0.
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
  /** The low-stock threshold that applies (the product's own, else the shop's); at or below it the product is always listed. */
  threshold?: number | null;
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
  const lowStock = input.threshold !== undefined && input.threshold !== null && stock <= input.threshold;
  const aboveThreshold = lowStock ? input.threshold! + 1 - stock - onOrder : 0;
  const coverNeed = Math.max(0, ceil(reorderPoint + rate * coverDays - stock - onOrder));
  const needed = Math.max(coverNeed, aboveThreshold);
  const useReorderQuantity = !!input.reorderQuantity && input.reorderQuantity > needed;
  const recommendedQuantity = useReorderQuantity ? input.reorderQuantity! : needed;
  const daysOfCover = rate > 0 ? round(stock / rate, 1) : null;
  const needsReorder = lowStock || (stock + onOrder <= reorderPoint && recommendedQuantity > 0);

  const demand =
    rate > 0
      ? `Sells ${round(rate, 2)}/day (${input.unitsSold} in ${windowDays} days); ${stock} left covers ${daysOfCover} days, ` +
        `${daysOfCover! < leadTimeDays + safetyDays ? 'less' : 'more'} than the ${leadTimeDays}-day supplier lead time plus ${plural(safetyDays, 'day')} safety stock ` +
        `(reorder point ${reorderPoint} = ${leadTimeDemand} for the lead time + ${safetyStock} safety)`
      : `No sales in the last ${windowDays} days; ${stock} in stock (reorder point 0)`;
  const order = useReorderQuantity
    ? `order ${recommendedQuantity} (the product's reorder quantity; ${needed} would cover ${coverDays} days).`
    : lowStock && aboveThreshold > coverNeed
      ? `order ${recommendedQuantity} to bring stock above the threshold.`
      : rate > 0
        ? `order ${recommendedQuantity} to cover ${coverDays} days after the reorder point.`
        : `order ${recommendedQuantity}.`;
  const low = lowStock ? `${stock} in stock is at or below the low-stock threshold of ${input.threshold}. ` : '';
  const reason = `${low}${demand}; ${onOrder} on order; ${order}`;

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
