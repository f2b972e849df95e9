import { z } from '../../shared/zod.js';
import { dateRangeQuery } from '../../shared/date-range.js';
import { listOf, listQuery } from '../../shared/schemas.js';
import { TRANSFER_STATUSES } from './transfer.model.js';

const productId = z.coerce.number().int().positive();
const quantity = z.number().int().positive().max(1_000_000);
const distinct = <T extends { productId: number }>(items: T[]) => new Set(items.map((i) => i.productId)).size === items.length;
const DISTINCT = { message: 'each product may appear only once', path: [] as string[] };

export const createTransferBody = z
  .object({
    fromLocationId: z.number().int().positive(),
    toLocationId: z.number().int().positive(),
    items: z.array(z.object({ productId, quantity })).min(1).max(500).refine(distinct, DISTINCT),
    reference: z.string().trim().max(80).optional(),
    notes: z.string().trim().max(2000).optional(),
  })
  .refine((v) => v.fromLocationId !== v.toLocationId, { message: 'a transfer goes between two different locations', path: ['toLocationId'] })
  .openapi('CreateTransfer');
export type CreateTransferInput = z.infer<typeof createTransferBody>;

export const receiveTransferBody = z
  .object({ items: z.array(z.object({ productId, quantity })).min(1).max(500).refine(distinct, DISTINCT).optional() })
  .openapi('ReceiveTransfer');
export type ReceiveTransferInput = z.infer<typeof receiveTransferBody>;

const LocationRef = z.object({ id: z.number(), code: z.string(), name: z.string() }).openapi('LocationRef');

export const TransferSchema = z
  .object({
    id: z.number(),
    fromLocationId: z.number(),
    toLocationId: z.number(),
    fromLocation: LocationRef,
    toLocation: LocationRef,
    status: z.enum(TRANSFER_STATUSES),
    reference: z.string().nullable(),
    notes: z.string().nullable(),
    userId: z.number().nullable(),
    lines: z.array(
      z.object({
        productId: z.number(),
        sku: z.string(),
        name: z.string(),
        quantity: z.number(),
        shipped: z.number(),
        received: z.number(),
      }),
    ),
    inTransit: z.number().describe('Units shipped and not yet received'),
    shippedAt: z.string().nullable(),
    receivedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Transfer');

export const transferListQuery = listQuery(['createdAt', 'status', 'shippedAt']).extend({
  status: z.enum(TRANSFER_STATUSES).optional(),
  fromLocationId: z.coerce.number().int().positive().optional(),
  toLocationId: z.coerce.number().int().positive().optional(),
  productId: z.coerce.number().int().positive().optional(),
  ...dateRangeQuery,
});
export type TransferListQuery = z.infer<typeof transferListQuery>;

export const transferList = listOf(TransferSchema);
