import { z } from '../../shared/zod.js';

export const DashboardStatsSchema = z
  .object({
    totalProducts: z.number().describe('Active (not archived) products'),
    totalStockUnits: z.number(),
    stockValue: z.number().describe('Stock of active products at cost price'),
    stockByLocation: z
      .array(z.object({ locationId: z.number(), code: z.string(), name: z.string(), units: z.number(), value: z.number() }))
      .describe('Per active location (the default first): units of active products there and their value at cost'),
    inTransit: z.object({ units: z.number(), value: z.number() }).describe('Shipped by transfers and not yet received (on hand nowhere), units and value at cost'),
    lowStockCount: z.number().describe('Active products at or below their low-stock threshold (out-of-stock ones included)'),
    outOfStockCount: z.number(),
    salesThisMonth: z
      .object({ count: z.number(), revenue: z.number(), units: z.number() })
      .describe('Calendar month in settings.timezone; non-cancelled sales plus non-cancelled storefront orders; revenue = totals incl. tax'),
    purchasesThisMonth: z.object({ count: z.number(), cost: z.number() }).describe('Non-cancelled purchases created this month'),
    monthlySales: z
      .array(z.object({ month: z.string().describe('YYYY-MM'), revenue: z.number(), units: z.number() }))
      .describe('The last 12 calendar months, oldest first, months without sales included'),
    topProducts: z
      .array(z.object({ productId: z.number(), name: z.string(), units: z.number(), revenue: z.number() }))
      .describe('Top 5 by units over the last 30 days; revenue = sum of line totals'),
  })
  .openapi('DashboardStats');
