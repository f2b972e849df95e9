import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../shared/schemas.js';
import { orderListQuery, OrderSchema, orderStatusBody, placeOrderBody } from './order.schemas.js';
import { cancelOrder, getOrder, listOrders, placeOrder, updateOrderStatus } from './order.service.js';

export const orderRoutes = new ApiRouter('/orders', 'Orders')
  .post(
    '/',
    {
      operationId: 'placeOrder',
      summary: 'Place an order from the cart (prices, coupon, tax and stock in one transaction; the cart is emptied)',
      description: '400 for an empty cart or a coupon that does not apply (with the reason); 409 INSUFFICIENT_STOCK naming the product, with nothing written. A confirmation email follows.',
      access: 'shop',
      body: placeOrderBody,
      status: 201,
      response: OrderSchema,
      errors: [409],
    },
    ({ body, actor }) => placeOrder(body, actor),
  )
  .get(
    '/',
    {
      operationId: 'listOrders',
      summary: 'Orders: shoppers see their own, the back office (orders:manage) sees all',
      access: 'authenticated',
      query: orderListQuery,
      response: listOf(OrderSchema),
    },
    ({ query, actor }) => listOrders(query, actor),
  )
  .get('/:id', { operationId: 'getOrder', summary: 'One order (another customer\'s order is 404)', access: 'authenticated', params: idParams, response: OrderSchema }, ({ params, actor }) =>
    getOrder(params.id, actor),
  )
  .post(
    '/:id/cancel',
    {
      operationId: 'cancelOrder',
      summary: 'Cancel a pending order (the owner, or orders:manage); restores stock',
      access: 'authenticated',
      params: idParams,
      response: OrderSchema,
      errors: [409],
    },
    ({ params, actor }) => cancelOrder(params.id, actor),
  )
  .patch(
    '/:id/status',
    {
      operationId: 'updateOrderStatus',
      summary: 'Move an order: pending -> shipped -> delivered, pending -> cancelled (restores stock); anything else 409',
      description: 'Requires the `orders:manage` right. The customer is emailed on shipped, delivered and cancelled.',
      access: 'orders:manage',
      params: idParams,
      body: orderStatusBody,
      response: OrderSchema,
      errors: [409],
    },
    ({ params, body, actor }) => updateOrderStatus(params.id, body.status, actor),
  );
