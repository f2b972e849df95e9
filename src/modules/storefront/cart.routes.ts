import { ApiRouter } from '../../http/route.js';
import { addCartItemBody, CartSchema, productIdParams, updateCartItemBody } from './cart.schemas.js';
import { addCartItem, clearCart, getCart, removeCartItem, updateCartItem } from './cart.service.js';

export const cartRoutes = new ApiRouter('/cart', 'Cart')
  .get(
    '/',
    {
      operationId: 'getCart',
      summary: 'The caller\'s cart with prices for their role (archived products removed, quantities clamped to stock, reported in adjustments)',
      access: 'shop',
      response: CartSchema,
    },
    ({ actor }) => getCart(actor),
  )
  .post(
    '/items',
    {
      operationId: 'addCartItem',
      summary: 'Add a product (adds to an existing line); 409 INSUFFICIENT_STOCK above the stock',
      access: 'shop',
      body: addCartItemBody,
      response: CartSchema,
      errors: [404, 409],
    },
    ({ actor, body }) => addCartItem(body, actor),
  )
  .put(
    '/items/:productId',
    { operationId: 'updateCartItem', summary: 'Set a line\'s quantity (at least 1; DELETE removes)', access: 'shop', params: productIdParams, body: updateCartItemBody, response: CartSchema, errors: [409] },
    ({ actor, params, body }) => updateCartItem(params.productId, body, actor),
  )
  .delete(
    '/items/:productId',
    { operationId: 'removeCartItem', summary: 'Remove a line', access: 'shop', params: productIdParams, response: CartSchema },
    ({ actor, params }) => removeCartItem(params.productId, actor),
  )
  .delete('/', { operationId: 'clearCart', summary: 'Empty the cart', access: 'shop' }, async ({ actor }) => {
    await clearCart(actor);
  });
