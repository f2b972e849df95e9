import type { Tool } from './tool.js';
import { revenueByCategory, salesSummary, topProducts } from './sales.tools.js';
import { lowStock, productStock, stockValuation } from './stock.tools.js';
import { reorderRecommendations, slowMovers } from './replenishment.tools.js';
import { purchasesInPeriod, supplierPerformance } from './purchasing.tools.js';

/** Every analytics tool. All of them only read; none takes SQL or free-form filters. */
export const TOOLS = [
  topProducts,
  salesSummary,
  revenueByCategory,
  productStock,
  lowStock,
  reorderRecommendations,
  slowMovers,
  stockValuation,
  supplierPerformance,
  purchasesInPeriod,
] as unknown as Tool[];

export type ToolName =
  | 'top_products'
  | 'sales_summary'
  | 'revenue_by_category'
  | 'product_stock'
  | 'low_stock'
  | 'reorder_recommendations'
  | 'slow_movers'
  | 'stock_valuation'
  | 'supplier_performance'
  | 'purchases_in_period';

export function toolByName(name: string): Tool | undefined {
  return TOOLS.find((t) => t.name === name);
}
