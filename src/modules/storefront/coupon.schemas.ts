import { z } from '../../shared/zod.js';
import { listQuery, queryBool } from '../../shared/schemas.js';
import { COUPON_TARGET_ROLES } from './storefront.models.js';

const code = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, dashes and underscores only')
  .transform((v) => v.toUpperCase());
const dateTime = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const percent = z
  .number()
  .min(1)
  .max(100)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'must have at most two decimals');

const couponFields = {
  code,
  description: z.string().trim().max(255).nullable().optional(),
  discountPercent: percent,
  validFrom: dateTime.nullable().optional(),
  validTo: dateTime.nullable().optional(),
  targetRole: z.enum(COUPON_TARGET_ROLES).default('all'),
  userIds: z.array(z.number().int().positive()).max(1000).optional().describe('Only these users may use it (empty or absent: anyone)'),
  usageLimit: z.number().int().min(1).nullable().optional().describe('Total uses allowed (absent: unlimited)'),
  active: z.boolean().default(true),
};

// Zod runs object refinements even when a field failed; only two real dates are compared.
const windowIsOrdered = (v: { validFrom?: unknown; validTo?: unknown }) =>
  !(v.validFrom instanceof Date) || !(v.validTo instanceof Date) || v.validTo.getTime() > v.validFrom.getTime();
const windowIssue = { message: 'validTo must be after validFrom', path: ['validTo'] };

export const createCouponBody = z.object(couponFields).refine(windowIsOrdered, windowIssue);
export type CreateCouponInput = z.infer<typeof createCouponBody>;

export const updateCouponBody = z
  .object({
    ...couponFields,
    targetRole: z.enum(COUPON_TARGET_ROLES).optional(),
    active: z.boolean().optional(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to update')
  .refine(windowIsOrdered, windowIssue);
export type UpdateCouponInput = z.infer<typeof updateCouponBody>;

export const couponListQuery = listQuery(['code', 'discountPercent', 'validTo', 'usedCount', 'createdAt']).extend({
  active: queryBool.optional(),
  targetRole: z.enum(COUPON_TARGET_ROLES).optional(),
});
export type CouponListQuery = z.infer<typeof couponListQuery>;

export const validateCouponBody = z.object({ code: z.string().trim().min(1).max(40).transform((v) => v.toUpperCase()) });

export const CouponSchema = z
  .object({
    id: z.number(),
    code: z.string(),
    description: z.string().nullable(),
    discountPercent: z.number(),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable(),
    targetRole: z.enum(COUPON_TARGET_ROLES),
    userIds: z.array(z.number()),
    usageLimit: z.number().nullable(),
    usedCount: z.number().describe('Read-only: counted when an order uses the coupon'),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Coupon');

export const CouponCheckSchema = z
  .object({
    code: z.string(),
    discountPercent: z.number(),
    description: z.string().nullable(),
    validTo: z.string().nullable(),
    usesLeft: z.number().nullable().describe('null: unlimited'),
  })
  .openapi('CouponCheck');
export type CouponCheck = z.infer<typeof CouponCheckSchema>;
