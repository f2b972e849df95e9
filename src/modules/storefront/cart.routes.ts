import { ApiRouter } from '../../http/route.js';
import { addCartItemBody, CartSchema, productIdParams, updateCartItemBody } from './cart.schemas.js';
import { addCartItem, clearCart, getCart, removeCartItem, updateCartItem } from './cart.service.js';

export const cartRoutes = new ApiRouter('/cart', 'Cart')
  .get(
    '/',
    {
      summary: 'The caller\'s cart with prices for their role (archived products removed, quantities clamped to stock, reported in adjustments)',
      access: 'shop',
      response: CartSchema,
    },
    ({ user }) => getCart(user!),
  )
  .post(
    '/items',
    {
      summary: 'Add a product (adds to an existing line); 409 INSUFFICIENT_STOCK above the stock',
      access: 'shop',
      body: addCartItemBody,
      response: CartSchema,
      errors: [404, 409],
    },
    ({ user, body }) => addCartItem(user!, body),
  )
  .put(
    '/items/:productId',
    { summary: 'Set a line\'s quantity (at least 1; DELETE removes)', access: 'shop', params: productIdParams, body: updateCartItemBody, response: CartSchema, errors: [409] },
    ({ user, params, body }) => updateCartItem(user!, params.productId, body),
  )
  .delete(
    '/items/:productId',
    { summary: 'Remove a line', access: 'shop', params: productIdParams, response: CartSchema },
    ({ user, params }) => removeCartItem(user!, params.productId),
  )
  .delete('/', { summary: 'Empty the cart', access: 'shop' }, async ({ user }) => {
    await clearCart(user!);
  });
