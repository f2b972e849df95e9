import { Op, type FindOptions, type Transaction, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import { badRequest, conflict, notFound } from '../../shared/errors.js';
import { fromCents, percentOf, sumCents } from '../../shared/money.js';
import { can, type Role } from '../../shared/rights.js';
import { orderFrom, type Page } from '../../http/schemas.js';
import { recordAudit } from '../audit/audit.service.js';
import { applyStockChanges } from '../inventory/inventory.service.js';
import { Product } from '../products/product.model.js';
import { getSettings } from '../settings/settings.service.js';
import { User } from '../users/user.model.js';
import { applicableCoupon, consumeCouponUse, releaseCouponUse } from './coupon.service.js';
import { mailOrderUpdate, type OrderMailKind } from './order-mail.js';
import { ensureOrderSequence, nextOrderNumber } from './order-number.js';
import { assertTransition } from './order-status.js';
import { priceTierOf, shopperPrice } from './pricing.js';
import { CartItem, Order, OrderItem, type OrderStatus } from './storefront.models.js';
import type { OrderListQuery, PlaceOrderInput } from './order.schemas.js';

export interface OrderActor {
  id: number;
  role: Role;
  email: string;
  name: string;
  ip?: string | null;
}

/** Seeders pass their own transaction and a backdated time, and send no mail. */
export interface OrderOptions {
  at?: Date;
  transaction?: Transaction;
  notify?: boolean;
}

const WITH_ITEMS: FindOptions<Order> = { include: [{ model: OrderItem, as: 'items' }], order: [[{ model: OrderItem, as: 'items' }, 'id', 'ASC']] };

function inTransaction<T>(options: OrderOptions, work: (t: Transaction) => Promise<T>): Promise<T> {
  return options.transaction ? work(options.transaction) : transaction(work);
}

function afterCommit(t: Transaction, options: OrderOptions, send: () => void) {
  if (options.notify !== false) t.afterCommit(send);
}

async function loadOrder(id: number, t?: Transaction): Promise<Order & { items: OrderItem[] }> {
  const order = await Order.findByPk(id, { ...WITH_ITEMS, transaction: t });
  if (!order) throw notFound('Order');
  return order as Order & { items: OrderItem[] };
}

/**
 * Places the shopper's cart as one order, all or nothing: prices and discounts
 * are captured on the lines, the coupon is re-checked and its use counted,
 * stock is taken through the ledger, the cart is emptied, and the order number
 * is drawn last.
 */
export async function placeOrder(user: OrderActor, input: PlaceOrderInput, options: OrderOptions = {}): Promise<Order> {
  const at = options.at ?? new Date();
  await ensureOrderSequence(at, options.transaction);
  const orderId = await inTransaction(options, async (t) => {
    const cart = await CartItem.findAll({ where: { userId: user.id }, order: [['productId', 'ASC']], lock: true, transaction: t });
    if (!cart.length) throw badRequest('Your cart is empty');
    const products = await Product.findAll({ where: { id: cart.map((c) => c.productId) }, transaction: t });
    const tier = priceTierOf(user.role);
    const lines = cart.map((item) => {
      const product = products.find((p) => p.id === item.productId)!;
      if (product.archivedAt) throw conflict(`'${product.name}' is no longer available; remove it from your cart`);
      const price = shopperPrice(product, tier);
      return { product, quantity: item.quantity, price, lineCents: price.priceCents * item.quantity };
    });

    const coupon = input.couponCode ? await applicableCoupon(input.couponCode, user, at, t) : null;
    const settings = await getSettings({ transaction: t });
    const subtotal = sumCents(lines.map((l) => l.lineCents));
    const discount = coupon ? percentOf(subtotal, coupon.discountPercent) : 0;
    const tax = percentOf(subtotal - discount, settings.taxRate);

    // Row locks in one order everywhere (coupon, then products by id): inserting rows that
    // reference a coupon or product takes a shared lock on it, so the guarded updates come first.
    if (coupon) await consumeCouponUse(coupon, t);
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
      { transaction: t, silent: true },
    );
    await applyStockChanges(
      lines.map((l) => ({ productId: l.product.id, delta: -l.quantity })),
      { reason: 'order', referenceType: 'order', referenceId: order.id, userId: user.id, at },
      t,
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
      { transaction: t },
    );
    await CartItem.destroy({ where: { userId: user.id }, transaction: t });
    order.orderNumber = await nextOrderNumber(at, t);
    await order.save({ transaction: t, silent: true });
    await recordAudit(
      {
        userId: user.id,
        action: 'order.create',
        entityType: 'order',
        entityId: order.id,
        changes: { orderNumber: order.orderNumber, total: order.total, couponCode: order.couponCode, items: lines.map((l) => ({ productId: l.product.id, quantity: l.quantity })) },
        ip: user.ip,
      },
      t,
    );
    const saved = await loadOrder(order.id, t);
    afterCommit(t, options, () => mailOrderUpdate('confirmed', saved, user));
    return order.id;
  });
  return options.transaction ? loadOrder(orderId, options.transaction) : loadOrder(orderId);
}

export async function listOrders(actor: OrderActor, query: OrderListQuery): Promise<Page<Order>> {
  const where: WhereOptions<Order> = {};
  const everyone = can(actor.role, 'orders:manage');
  if (!everyone) Object.assign(where, { userId: actor.id });
  else if (query.userId) Object.assign(where, { userId: query.userId });
  if (query.status) Object.assign(where, { status: query.status });
  if (query.from || query.to) {
    Object.assign(where, { createdAt: { ...(query.from ? { [Op.gte]: query.from } : {}), ...(query.to ? { [Op.lte]: query.to } : {}) } });
  }
  const total = await Order.count({ where });
  const rows = await Order.findAll({
    where,
    include: [{ model: OrderItem, as: 'items' }],
    order: [orderFrom(query.sort, '-createdAt'), ['id', 'DESC'], [{ model: OrderItem, as: 'items' }, 'id', 'ASC']],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  });
  return { data: rows, page: query.page, limit: query.limit, total };
}

/** Someone else's order does not exist for a shopper (404, not 403: ids are not confirmed). */
export async function getOrder(actor: Pick<OrderActor, 'id' | 'role'>, id: number, t?: Transaction) {
  const order = await loadOrder(id, t);
  if (order.userId !== actor.id && !can(actor.role, 'orders:manage')) throw notFound('Order');
  return order;
}

async function customerOf(order: Order, t: Transaction) {
  const customer = await User.findByPk(order.userId, { attributes: ['id', 'email', 'name'], transaction: t });
  return customer ? { email: customer.email, name: customer.name } : null;
}

/** Moves the status with a guarded update, so two clerks cannot both move the same order. */
async function moveStatus(order: Order, to: OrderStatus, at: Date, t: Transaction) {
  const stamp = to === 'shipped' ? { shippedAt: at } : to === 'delivered' ? { deliveredAt: at } : { cancelledAt: at };
  const [updated] = await Order.update({ status: to, ...stamp, updatedAt: at }, { where: { id: order.id, status: order.status }, transaction: t, silent: true });
  if (updated !== 1) throw conflict('The order changed meanwhile; reload it and try again');
}

/** Owner while pending, or the back office: stock goes back through the ledger and the coupon use is returned. */
export async function cancelOrder(actor: OrderActor, id: number, options: OrderOptions = {}): Promise<Order> {
  const at = options.at ?? new Date();
  await inTransaction(options, async (t) => {
    const order = await getOrder(actor, id, t);
    assertTransition(order.status, 'cancelled');
    await moveStatus(order, 'cancelled', at, t);
    if (order.couponId) await releaseCouponUse(order.couponId, t);
    await applyStockChanges(
      order.items.map((i) => ({ productId: i.productId, delta: i.quantity })),
      { reason: 'order_cancel', referenceType: 'order', referenceId: order.id, userId: actor.id, at },
      t,
    );
    await recordAudit(
      { userId: actor.id, action: 'order.cancel', entityType: 'order', entityId: id, changes: { status: { from: order.status, to: 'cancelled' } }, ip: actor.ip },
      t,
    );
    await notify(order, 'cancelled', options, t);
  });
  return loadOrder(id, options.transaction);
}

async function notify(order: Order, kind: OrderMailKind, options: OrderOptions, t: Transaction) {
  if (options.notify === false) return;
  const customer = await customerOf(order, t);
  if (customer) {
    const fresh = await loadOrder(order.id, t);
    afterCommit(t, options, () => mailOrderUpdate(kind, fresh, customer));
  }
}

/** Back-office status change along ORDER_TRANSITIONS; anything else is a 409. */
export async function updateOrderStatus(actor: OrderActor, id: number, status: OrderStatus, options: OrderOptions = {}): Promise<Order> {
  if (status === 'cancelled') return cancelOrder(actor, id, options);
  const at = options.at ?? new Date();
  await inTransaction(options, async (t) => {
    const order = await loadOrder(id, t);
    assertTransition(order.status, status);
    await moveStatus(order, status, at, t);
    await recordAudit(
      { userId: actor.id, action: 'order.status', entityType: 'order', entityId: id, changes: { status: { from: order.status, to: status } }, ip: actor.ip },
      t,
    );
    await notify(order, status === 'shipped' ? 'shipped' : 'delivered', options, t);
  });
  return loadOrder(id, options.transaction);
}
