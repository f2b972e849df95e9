import { type FindOptions, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors.js';
import { fromCents, percentOf, sumCents } from '../../shared/money.js';
import { can } from '../../shared/rights.js';
import type { UserActor } from '../../shared/actor.js';
import { now } from '../../shared/clock.js';
import { dateRange } from '../../shared/date-range.js';
import { offsetOf, orderFrom, type Page } from '../../shared/page.js';
import { recordAudit } from '../audit/audit.service.js';
import { applyStockChanges, reverseStockChanges } from '../inventory/inventory.service.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import { User } from '../users/user.model.js';
import { applicableCoupon, consumeCouponUse, releaseCouponUse } from './coupon.service.js';
import { mailOrderUpdate, type OrderMailKind } from './order-mail.js';
import { ensureOrderSequence, nextOrderNumber } from './order-number.js';
import { rollUpOrder } from '../analytics/sales-rollups.js';
import { assertTransition } from './order-status.js';
import { priceTierOf, shopperPrice } from './pricing.js';
import { CartItem, Order, OrderItem, type OrderStatus } from './storefront.models.js';
import type { OrderListQuery, PlaceOrderInput } from './order.schemas.js';

/** Seeders backdate and send no mail. */
export interface OrderOptions {
  at?: Date;
  notify?: boolean;
}

const WITH_ITEMS: FindOptions<Order> = { include: [{ model: OrderItem, as: 'items' }], order: [[{ model: OrderItem, as: 'items' }, 'id', 'ASC']] };

async function loadOrder(id: number): Promise<Order & { items: OrderItem[] }> {
  const order = await Order.findByPk(id, WITH_ITEMS);
  if (!order) throw notFound('Order');
  return order as Order & { items: OrderItem[] };
}

/**
 * Places the shopper's cart as one order, all or nothing: prices and discounts
 * are captured on the lines, the coupon is re-checked and its use counted,
 * stock is taken through the ledger, the cart is emptied, and the order number
 * is drawn last.
 */
export async function placeOrder(input: PlaceOrderInput, user: UserActor, options: OrderOptions = {}): Promise<Order> {
  const at = options.at ?? now();
  await ensureOrderSequence(at);
  return transaction(async () => {
    const cart = await CartItem.findAll({ where: { userId: user.id }, order: [['productId', 'ASC']], lock: true });
    if (!cart.length) throw badRequest('Your cart is empty');
    const products = await Product.findAll({ where: { id: cart.map((c) => c.productId) } });
    const tier = priceTierOf(user.role);
    const lines = cart.map((item) => {
      const product = products.find((p) => p.id === item.productId)!;
      if (product.archivedAt) throw conflict(`'${product.name}' is no longer available; remove it from your cart`);
      const price = shopperPrice(product, tier);
      return { product, quantity: item.quantity, price, lineCents: price.priceCents * item.quantity };
    });

    const coupon = input.couponCode ? await applicableCoupon(input.couponCode, user, at) : null;
    const settings = await getSettings();
    const subtotal = sumCents(lines.map((l) => l.lineCents));
    const discount = coupon ? percentOf(subtotal, coupon.discountPercent) : 0;
    const tax = percentOf(subtotal - discount, settings.taxRate);

    // Row locks in one order everywhere (coupon, then products by id): inserting rows that
    // reference a coupon or product takes a shared lock on it, so the guarded updates come first.
    if (coupon) await consumeCouponUse(coupon);
    const order = await Order.create(
      {
        userId: user.id,
        status: 'pending',
        subtotal: fromCents(subtotal),
        discount: fromCents(discount),
        tax: fromCents(tax),
        total: fromCents(subtotal - discount + tax),
        couponId: coupon?.id ?? null,
        couponCode: coupon?.code ?? null,
        deliveryAddress: input.deliveryAddress,
        contactNumber: input.contactNumber,
        createdAt: at,
        updatedAt: at,
      },
      { silent: true },
    );
    await applyStockChanges(
      lines.map((l) => ({ productId: l.product.id, delta: -l.quantity })),
      { reason: 'order', referenceType: 'order', referenceId: order.id, userId: user.id, at }
    );
    await OrderItem.bulkCreate(
      lines.map((l) => ({
        orderId: order.id,
        productId: l.product.id,
        productName: l.product.name,
        quantity: l.quantity,
        unitPrice: l.price.price,
        discountPercent: l.price.discountPercent,
        lineTotal: fromCents(l.lineCents),
        createdAt: at,
        updatedAt: at,
      })),
    );
    await CartItem.destroy({ where: { userId: user.id }});
    await rollUpOrder(order.id, 1, at);
    order.orderNumber = await nextOrderNumber(at);
    await order.save({ silent: true });
    await recordAudit(
      {
        userId: user.id,
        action: 'order.create',
        entityType: 'order',
        entityId: order.id,
        changes: { orderNumber: order.orderNumber, total: order.total, couponCode: order.couponCode, items: lines.map((l) => ({ productId: l.product.id, quantity: l.quantity })) },
        ip: user.ip,
      }
    );
    return notify(order, 'confirmed', options);
  });
}

export async function listOrders(query: OrderListQuery, actor: UserActor): Promise<Page<Order>> {
  const everyone = can(actor.role, 'orders:manage');
  if (!everyone && !can(actor.role, 'shop')) throw forbidden();
  const where: WhereOptions<Order> = {};
  if (!everyone) Object.assign(where, { userId: actor.id });
  else if (query.userId) Object.assign(where, { userId: query.userId });
  if (query.status) Object.assign(where, { status: query.status });
  const created = dateRange(query.from, query.to, (await getSettings()).timezone);
  if (created) Object.assign(where, { createdAt: created });
  const total = await Order.count({ where });
  const rows = await Order.findAll({
    where,
    include: [{ model: OrderItem, as: 'items' }],
    order: [orderFrom(query.sort, '-createdAt'), ['id', 'DESC'], [{ model: OrderItem, as: 'items' }, 'id', 'ASC']],
    limit: query.limit,
    offset: offsetOf(query),
  });
  return { data: rows, page: query.page, limit: query.limit, total };
}

/** Someone else's order does not exist for a shopper (404, not 403: ids are not confirmed). */
export async function getOrder(id: number, actor: UserActor) {
  const order = await loadOrder(id);
  if (order.userId !== actor.id && !can(actor.role, 'orders:manage')) throw notFound('Order');
  return order;
}

async function customerOf(order: Order) {
  const customer = await User.findByPk(order.userId, { attributes: ['id', 'email', 'name'] });
  return customer ? { email: customer.email, name: customer.name } : null;
}

/** Moves the status with a guarded update, so two clerks cannot both move the same order. */
async function moveStatus(order: Order, to: OrderStatus, at: Date) {
  const stamp = to === 'shipped' ? { shippedAt: at } : to === 'delivered' ? { deliveredAt: at } : { cancelledAt: at };
  const [updated] = await Order.update({ status: to, ...stamp, updatedAt: at }, { where: { id: order.id, status: order.status }, silent: true });
  if (updated !== 1) throw conflict('The order changed meanwhile; reload it and try again');
}

/** The order as it now is; its customer's mail is queued with the change (sent once it commits). */
async function notify(order: Order, kind: OrderMailKind, options: OrderOptions): Promise<Order> {
  const fresh = await loadOrder(order.id);
  const customer = options.notify === false ? null : await customerOf(order);
  if (customer) await mailOrderUpdate(kind, fresh, customer);
  return fresh;
}

/** Owner while pending, or the back office: stock goes back through the ledger and the coupon use is returned. */
export async function cancelOrder(id: number, actor: UserActor, options: OrderOptions = {}): Promise<Order> {
  const at = options.at ?? now();
  return transaction(async () => {
    const order = await getOrder(id, actor);
    assertTransition(order.status, 'cancelled');
    await moveStatus(order, 'cancelled', at);
    await rollUpOrder(order.id, -1);
    if (order.couponId) await releaseCouponUse(order.couponId);
    // Back where it was taken from, whatever the default location is now.
    await reverseStockChanges({ type: 'order', id: order.id, reason: 'order' }, { reason: 'order_cancel', referenceType: 'order', referenceId: order.id, userId: actor.id, at });
    await recordAudit({ userId: actor.id, action: 'order.cancel', entityType: 'order', entityId: id, changes: { status: { from: order.status, to: 'cancelled' } }, ip: actor.ip });
    return notify(order, 'cancelled', options);
  });
}

/** Back-office status change along ORDER_TRANSITIONS; anything else is a 409. */
export async function updateOrderStatus(id: number, status: OrderStatus, actor: UserActor, options: OrderOptions = {}): Promise<Order> {
  if (status === 'cancelled') return cancelOrder(id, actor, options);
  const at = options.at ?? now();
  return transaction(async () => {
    const order = await loadOrder(id);
    assertTransition(order.status, status);
    await moveStatus(order, status, at);
    await recordAudit({ userId: actor.id, action: 'order.status', entityType: 'order', entityId: id, changes: { status: { from: order.status, to: status } }, ip: actor.ip });
    return notify(order, status === 'shipped' ? 'shipped' : 'delivered', options);
  });
}
