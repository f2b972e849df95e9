import type { ApiRouter } from '../../http/route.js';
import { catalogRoutes } from './catalog.routes.js';
import { cartRoutes } from './cart.routes.js';
import { wishlistRoutes } from './wishlist.routes.js';
import { couponRoutes } from './coupon.routes.js';
import { orderRoutes } from './order.routes.js';
import { reviewRoutes } from './review.routes.js';

/** The customer-facing side: catalogue, cart, wishlist, coupons, orders and reviews. */
export const storefrontRoutes: ApiRouter[] = [catalogRoutes, cartRoutes, wishlistRoutes, couponRoutes, orderRoutes, reviewRoutes];
