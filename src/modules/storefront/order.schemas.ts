import { z } from '../../shared/zod.js';
import { listQuery } from '../../shared/schemas.js';
import { dateRangeQuery } from '../../shared/date-range.js';
import { ORDER_STATUSES } from './storefront.models.js';

export const placeOrderBody = z.object({
  couponCode: z.string().trim().min(1).max(40).optional(),
  deliveryAddress: z.string().trim().min(5).max(500),
  contactNumber: z
    .string()
    .trim()
    .min(5)
    .max(40)
    .regex(/^[+0-9 ()./-]+$/, 'digits, spaces and + ( ) . / - only'),
});
export type PlaceOrderInput = z.infer<typeof placeOrderBody>;

export const orderStatusBody = z.object({ status: z.enum(ORDER_STATUSES) });

export const orderListQuery = listQuery(['createdAt', 'total', 'status', 'orderNumber']).extend({
  status: z.enum(ORDER_STATUSES).optional(),
  userId: z.coerce.number().int().positive().optional().describe('Back office only; shoppers always see their own orders'),
  ...dateRangeQuery,
});
export type OrderListQuery = z.infer<typeof orderListQuery>;

export const OrderItemSchema = z
  .object({
    id: z.number(),
    orderId: z.number(),
    productId: z.number(),
    productName: z.string(),
    quantity: z.number(),
    unitPrice: z.number().describe('Unit price paid, after the product discount'),
    discountPercent: z.number().describe('Product discount captured at order time'),
    lineTotal: z.number(),
  })
  .openapi('OrderItem');

export const OrderSchema = z
  .object({
    id: z.number(),
    orderNumber: z.string().describe('e.g. ORD-2026-000123'),
    userId: z.number(),
    status: z.enum(ORDER_STATUSES),
    subtotal: z.number(),
    discount: z.number().describe('Coupon discount on the subtotal'),
    tax: z.number().describe('settings.taxRate on subtotal - discount'),
    total: z.number(),
    couponId: z.number().nullable(),
    couponCode: z.string().nullable(),
    deliveryAddress: z.string(),
    contactNumber: z.string(),
    shippedAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    items: z.array(OrderItemSchema),
  })
  .openapi('Order');
