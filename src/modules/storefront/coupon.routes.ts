import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../shared/schemas.js';
import { CouponCheckSchema, couponListQuery, CouponSchema, createCouponBody, updateCouponBody, validateCouponBody } from './coupon.schemas.js';
import { createCoupon, deleteCoupon, getCoupon, listCoupons, updateCoupon, validateCoupon } from './coupon.service.js';

export const couponRoutes = new ApiRouter('/coupons', 'Coupons')
  .post(
    '/validate',
    {
      operationId: 'validateCoupon',
      summary: 'Check a code for the signed-in user: the discount that applies, or 400 saying why not',
      description: 'Reasons: unknown code, inactive, not yet valid, expired, not for your role, not assigned to you, usage limit reached.',
      access: 'authenticated',
      body: validateCouponBody,
      response: CouponCheckSchema,
    },
    ({ body, actor }) => validateCoupon(body.code, actor),
  )
  .get('/', { operationId: 'listCoupons', summary: 'List coupons', access: 'coupons:manage', query: couponListQuery, response: listOf(CouponSchema) }, ({ query }) =>
    listCoupons(query),
  )
  .post(
    '/',
    { operationId: 'createCoupon', summary: 'Create a coupon (code unique case-insensitively, stored upper-case)', access: 'coupons:manage', body: createCouponBody, status: 201, response: CouponSchema, errors: [409] },
    ({ body, actor }) => createCoupon(body, actor),
  )
  .get('/:id', { operationId: 'getCoupon', summary: 'Get a coupon', access: 'coupons:manage', params: idParams, response: CouponSchema }, ({ params }) => getCoupon(params.id))
  .put(
    '/:id',
    { operationId: 'updateCoupon', summary: 'Update a coupon (partial; userIds replaces the assignment; usedCount is read-only)', access: 'coupons:manage', params: idParams, body: updateCouponBody, response: CouponSchema, errors: [409] },
    ({ params, body, actor }) => updateCoupon(params.id, body, actor),
  )
  .delete('/:id', { operationId: 'deleteCoupon', summary: 'Delete a coupon (past orders keep its code)', access: 'coupons:manage', params: idParams }, async ({ params, actor }) => {
    await deleteCoupon(params.id, actor);
  });
