import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../http/schemas.js';
import { forbidden } from '../../shared/errors.js';
import { can } from '../../shared/rights.js';
import type { AuthUser } from '../../http/auth.js';
import type { Request } from 'express';
import { orderListQuery, OrderSchema, orderStatusBody, placeOrderBody } from './order.schemas.js';
import { cancelOrder, getOrder, listOrders, placeOrder, updateOrderStatus } from './order.service.js';

const actor = (user: AuthUser | undefined, req: Request) => ({ ...user!, ip: req.ip });

export const orderRoutes = new ApiRouter('/orders', 'Orders')
  .post(
    '/',
    {
      summary: 'Place an order from the cart (prices, coupon, tax and stock in one transaction; the cart is emptied)',
      description: '400 for an empty cart or a coupon that does not apply (with the reason); 409 INSUFFICIENT_STOCK naming the product, with nothing written. A confirmation email follows.',
      access: 'shop',
      body: placeOrderBody,
      status: 201,
      response: OrderSchema,
      errors: [409],
    },
    ({ body, user, req }) => placeOrder(actor(user, req), body),
  )
  .get(
    '/',
    {
      summary: 'Orders: shoppers see their own, the back office (orders:manage) sees all',
      access: 'authenticated',
      query: orderListQuery,
      response: listOf(OrderSchema),
    },
    ({ query, user, req }) => {
      if (!can(user!.role, 'shop') && !can(user!.role, 'orders:manage')) throw forbidden();
      return listOrders(actor(user, req), query);
    },
  )
  .get('/:id', { summary: 'One order (another customer\'s order is 404)', access: 'authenticated', params: idParams, response: OrderSchema }, ({ params, user }) =>
    getOrder(user!, params.id),
  )
  .post(
    '/:id/cancel',
    {
      summary: 'Cancel a pending order (the owner, or orders:manage); restores stock',
      access: 'authenticated',
      params: idParams,
      response: OrderSchema,
      errors: [409],
    },
    ({ params, user, req }) => cancelOrder(actor(user, req), params.id),
  )
  .patch(
    '/:id/status',
    {
      summary: 'Move an order: pending -> shipped -> delivered, pending -> cancelled (restores stock); anything else 409',
      description: 'Requires the `orders:manage` right. The customer is emailed on shipped, delivered and cancelled.',
      access: 'orders:manage',
      params: idParams,
      body: orderStatusBody,
      response: OrderSchema,
      errors: [409],
    },
    ({ params, body, user, req }) => updateOrderStatus(actor(user, req), params.id, body.status),
  );
