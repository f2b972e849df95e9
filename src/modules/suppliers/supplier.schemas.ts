import { z } from '../../shared/zod.js';
import { listQuery } from '../../shared/schemas.js';
import { ProductSchema } from '../products/product.schemas.js';

export const SupplierSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    contactName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    leadTimeDays: z.number().int(),
    notes: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Supplier');

export const SupplierWithProductsSchema = SupplierSchema.extend({
  products: z.array(ProductSchema).openapi({ description: 'Its products that are not archived, by name' }),
}).openapi('SupplierWithProducts');

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const createSupplierBody = z
  .object({
    name: z.string().trim().min(1).max(160),
    contactName: optionalText(120),
    email: z
      .email()
      .max(190)
      .transform((v) => v.toLowerCase())
      .nullable()
      .optional(),
    phone: optionalText(40),
    address: optionalText(500),
    leadTimeDays: z.number().int().min(0).max(365).optional().openapi({ description: 'Days from order to delivery (default 7)' }),
    notes: optionalText(10_000),
  })
  .openapi('SupplierCreate');
export type CreateSupplierInput = z.infer<typeof createSupplierBody>;

export const updateSupplierBody = createSupplierBody
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to update')
  .openapi('SupplierUpdate');
export type UpdateSupplierInput = z.infer<typeof updateSupplierBody>;

export const supplierListQuery = listQuery(['name', 'createdAt', 'leadTimeDays']);
export type SupplierListQuery = z.infer<typeof supplierListQuery>;
