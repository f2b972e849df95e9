import type { Tool } from './tool.js';
import { productSales, revenueByCategory, revenueBySupplier, salesSummary, topProducts } from './sales.tools.js';
import { lowStock, productCount, productStock, stockRunout, stockValuation } from './stock.tools.js';
import { reorderRecommendations, slowMovers } from './replenishment.tools.js';
import { purchasesInPeriod, supplierPerformance } from './purchasing.tools.js';
import { stockByLocation } from './location.tools.js';

/** Every analytics tool. All of them only read; none takes SQL or free-form filters. */
export const TOOLS = [
  topProducts,
  salesSummary,
  revenueByCategory,
  revenueBySupplier,
  productSales,
  productCount,
  productStock,
  stockByLocation,
  stockRunout,
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
  | 'revenue_by_supplier'
  | 'product_sales'
  | 'product_count'
  | 'product_stock'
  | 'stock_by_location'
  | 'stock_runout'
  | 'low_stock'
  | 'reorder_recommendations'
  | 'slow_movers'
  | 'stock_valuation'
  | 'supplier_performance'
  | 'purchases_in_period';

export function toolByName(name: string): Tool | undefined {
  return TOOLS.find((t) => t.name === name);
}
