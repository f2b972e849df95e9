import { ApiRouter } from '../../http/route.js';
import { productIdParams } from './cart.schemas.js';
import { addWishlistBody, WishlistItemSchema, WishlistSchema } from './wishlist.schemas.js';
import { addToWishlist, getWishlist, removeFromWishlist } from './wishlist.service.js';

export const wishlistRoutes = new ApiRouter('/wishlist', 'Wishlist')
  .get('/', { operationId: 'getWishlist', summary: "The caller's wishlist (active products, prices for their role)", access: 'shop', response: WishlistSchema }, ({ actor }) =>
    getWishlist(actor),
  )
  .post(
    '/',
    {
      operationId: 'addWishlistItem',
      summary: 'Add a product (idempotent: 201 when added, 200 when it was already there)',
      access: 'shop',
      body: addWishlistBody,
      status: 201,
      response: WishlistItemSchema,
      errors: [404],
    },
    async ({ actor, body, res }) => {
      const { entry, created } = await addToWishlist(body, actor);
      res.status(created ? 201 : 200).json(entry);
    },
  )
  .delete('/:productId', { operationId: 'removeWishlistItem', summary: 'Remove a product from the wishlist', access: 'shop', params: productIdParams }, async ({ actor, params }) => {
    await removeFromWishlist(params.productId, actor);
  });
