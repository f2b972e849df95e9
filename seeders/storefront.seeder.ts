import { Op } from 'sequelize';
import { hashPassword } from '../src/modules/auth/password.js';
import { Product } from '../src/modules/products/product.model.js';
import { User } from '../src/modules/users/user.model.js';
import { CartItem, Coupon, CouponUser, Review } from '../src/modules/storefront/storefront.models.js';
import { placeOrder, updateOrderStatus, cancelOrder } from '../src/modules/storefront/order.service.js';
import type { UserActor } from '../src/shared/actor.js';
import { now as clockNow } from '../src/shared/clock.js';
import type { OrderStatus } from '../src/modules/storefront/storefront.models.js';
import { can } from '../src/shared/rights.js';

const DAY = 24 * 60 * 60 * 1000;
export const DEMO_SHOPPER_PASSWORD = 'customer123';

const SHOPPERS = [
  { key: 'casey', name: 'Casey Customer', email: 'customer@example.com', role: 'customer', address: '14 Elm Street, Springfield', phone: '+1 555 0101' },
  { key: 'riley', name: 'Riley Retail', email: 'retailer@example.com', role: 'retailer', address: 'Unit 3, Dockside Trade Park, Springfield', phone: '+1 555 0102' },
  { key: 'jordan', name: 'Jordan Miles', email: 'jordan@example.com', role: 'customer', address: '7 Orchard Lane, Shelbyville', phone: '+1 555 0103' },
  { key: 'sam', name: 'Sam Patel', email: 'sam@example.com', role: 'customer', address: '220 River Road, Capital City', phone: '+1 555 0104' },
] as const;
type ShopperKey = (typeof SHOPPERS)[number]['key'];

/** Days ago, who, which products (index into the stocked list) and how many, coupon, where it ends up. */
const ORDERS: { daysAgo: number; who: ShopperKey; lines: [number, number][]; coupon?: string; status: OrderStatus; review?: [number, string] }[] = [
  { daysAgo: 40, who: 'casey', lines: [[0, 2], [3, 1]], coupon: 'WELCOME10', status: 'delivered', review: [5, 'Arrived quickly and works perfectly.'] },
  { daysAgo: 31, who: 'riley', lines: [[1, 10], [5, 6]], coupon: 'TRADE15', status: 'delivered', review: [4, 'Good value in bulk; packaging could be better.'] },
  { daysAgo: 22, who: 'jordan', lines: [[0, 1]], status: 'delivered', review: [3, 'Does the job.'] },
  { daysAgo: 14, who: 'casey', lines: [[7, 1], [2, 2]], coupon: 'VIP-CASEY', status: 'shipped' },
  { daysAgo: 9, who: 'sam', lines: [[4, 1]], coupon: 'LAUNCH50', status: 'cancelled' },
  { daysAgo: 6, who: 'jordan', lines: [[6, 2]], status: 'shipped' },
  { daysAgo: 3, who: 'riley', lines: [[8, 4]], status: 'pending' },
  { daysAgo: 2, who: 'sam', lines: [[3, 1]], coupon: 'LAUNCH50', status: 'pending' },
  { daysAgo: 1, who: 'casey', lines: [[9, 1]], status: 'pending' },
];

/** The demo shoppers' password hash (bcrypt: worth starting early, see seedDemoData). */
export function demoShopperHash(): Promise<string> {
  return hashPassword(DEMO_SHOPPER_PASSWORD);
}

/**
 * Storefront demo data: shoppers (password `customer123`), coupons of every
 * kind, orders in every status placed through the order service (so stock
 * moves through the ledger) and reviews of delivered products. Runs inside the
 * demo seed's transaction; does nothing when the demo shoppers exist.
 * `hashing`: the shoppers' password hash, when already under way.
 */
export async function seedStorefront(now = clockNow(), hashing?: Promise<string>): Promise<{ orders: number }> {
  if (await User.count({ where: { email: SHOPPERS.map((s) => s.email) } })) return { orders: 0 };
  const ago = (days: number, hours = 10) => new Date(now.getTime() - days * DAY + (hours - 12) * 60 * 60 * 1000);

  const passwordHash = await (hashing ?? demoShopperHash());
  const users = new Map<ShopperKey, User>();
  for (const s of SHOPPERS) {
    const user = await User.create(
      { name: s.name, email: s.email, role: s.role, passwordHash, address: s.address, phone: s.phone, createdAt: ago(60), updatedAt: ago(60) },
      { silent: true },
    );
    users.set(s.key, user);
  }

  const coupons = [
    { code: 'WELCOME10', description: 'Welcome discount for everyone', discountPercent: 10, validFrom: ago(90), validTo: ago(-90) },
    { code: 'TRADE15', description: 'Trade accounts', discountPercent: 15, targetRole: 'retailer' as const, validFrom: ago(90), validTo: null },
    { code: 'VIP-CASEY', description: 'Thank-you coupon for a loyal customer', discountPercent: 20, validFrom: ago(60), validTo: ago(-60), users: ['casey' as const] },
    { code: 'LAUNCH50', description: 'Launch offer, limited uses', discountPercent: 50, usageLimit: 2, validFrom: ago(30), validTo: ago(-30) },
    { code: 'SPRING-SALE', description: 'Last spring (expired)', discountPercent: 25, validFrom: ago(300), validTo: ago(200) },
    { code: 'PAUSED5', description: 'Switched off', discountPercent: 5, active: false },
  ];
  for (const { users: assigned, ...fields } of coupons) {
    const coupon = await Coupon.create({ ...fields, createdAt: ago(95), updatedAt: ago(95) }, { silent: true });
    for (const key of assigned ?? []) await CouponUser.create({ couponId: coupon.id, userId: users.get(key)!.id });
  }

  const stocked = await Product.findAll({ where: { archivedAt: null, stock: { [Op.gte]: 15 } }, order: [['id', 'ASC']], limit: 10 });
  if (stocked.length < 10) return { orders: 0 };
  const everyone = await User.findAll({ order: [['id', 'ASC']] });
  const clerkUser = everyone.find((u) => can(u.role, 'orders:manage'));
  const clerk: UserActor | undefined = clerkUser && { id: clerkUser.id, role: clerkUser.role };

  let placed = 0;
  for (const plan of ORDERS) {
    const user = users.get(plan.who)!;
    const actor: UserActor = { id: user.id, role: user.role };
    const at = ago(plan.daysAgo);
    for (const [index, quantity] of plan.lines) {
      await CartItem.create({ userId: user.id, productId: stocked[index].id, quantity, createdAt: at, updatedAt: at }, { silent: true });
    }
    const shopper = SHOPPERS.find((s) => s.key === plan.who)!;
    const options = { at, notify: false };
    const order = await placeOrder({ couponCode: plan.coupon, deliveryAddress: shopper.address, contactNumber: shopper.phone }, actor, options);
    placed++;
    if (plan.status === 'cancelled') await cancelOrder(order.id, actor, { ...options, at: ago(plan.daysAgo - 1) });
    if (!clerk || plan.status === 'pending' || plan.status === 'cancelled') continue;
    await updateOrderStatus(order.id, 'shipped', clerk, { ...options, at: ago(plan.daysAgo - 1, 15) });
    if (plan.status === 'shipped') continue;
    await updateOrderStatus(order.id, 'delivered', clerk, { ...options, at: ago(plan.daysAgo - 3, 14) });
    if (plan.review) {
      const [rating, comment] = plan.review;
      const reviewedAt = ago(plan.daysAgo - 5, 19);
      await Review.create({ userId: user.id, productId: stocked[plan.lines[0][0]].id, rating, comment, createdAt: reviewedAt, updatedAt: reviewedAt }, { silent: true });
    }
  }
  return { orders: placed };
}
