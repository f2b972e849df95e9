import { QueryTypes } from 'sequelize';
import { getConfig } from '../../config/index.js';
import { db, readSnapshot, transaction, type PipelinedStatement } from '../../db/index.js';
import type { Actor } from '../../shared/actor.js';
import type { Page } from '../../shared/page.js';
import { conflict, notFound } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import { recordAudit } from '../audit/audit.service.js';
import { enqueueMail, onMailSent } from '../mail/outbox.service.js';
import { Product } from '../products/product.model.js';
import { getSettings, settingsStatement } from '../settings/settings.service.js';
import { User } from '../users/user.model.js';
import { onStockChanged, type StockSteps } from './inventory.service.js';
import type { AlertListQuery } from './inventory.schemas.js';
import { effectiveThreshold, thresholdSql } from './low-stock.service.js';
import { StockAlert } from './stock-alert.model.js';
import { toDate } from '../../db/columns.js';
import { now as clockNow } from '../../shared/clock.js';

const OPEN = ['pending', 'sent'] as const;
const PRODUCT_ATTRIBUTES = ['id', 'sku', 'name', 'stock'];

export interface AlertCheckSummary {
  raised: number;
  resolved: number;
}

let registered = false;

/**
 * Checks the alerts of every stock change in its own transaction, so the
 * alert and its queued mail commit with the change or not at all (once per
 * process, however many apps are built).
 */
export function registerStockAlerts(): void {
  if (registered) return;
  registered = true;
  onStockChanged(settleChanged, settleHistory, (productIds) => [settingsStatement().statement, alertStateStatement(productIds)]);
  // An alert is 'sent' once its mail has really gone out, in the transaction that marks the mail.
  onMailSent('stock_alert', async (alertId) => {
    await StockAlert.update({ status: 'sent', sentAt: clockNow() }, { where: { id: alertId, status: 'pending' } });
  });
}

const OPEN_SQL = `EXISTS (SELECT 1 FROM stock_alerts a WHERE a.product_id = p.id AND a.status IN ('pending', 'sent'))`;

/**
 * Products whose alert state must change: at or below the threshold with no
 * open alert (raise), or above it / archived with an open alert (resolve).
 */
async function candidates(shopDefault: number, productIds?: number[]): Promise<number[]> {
  if (productIds && productIds.length === 0) return [];
  const rows = await db().query<{ id: number }>(
    `SELECT p.id FROM products p
      WHERE ${productIds ? 'p.id IN (:productIds) AND ' : ''}(
            (p.archived_at IS NULL AND p.stock <= ${thresholdSql(shopDefault)} AND NOT ${OPEN_SQL})
         OR ((p.archived_at IS NOT NULL OR p.stock > ${thresholdSql(shopDefault)}) AND ${OPEN_SQL}))
      ORDER BY p.id`,
    { type: QueryTypes.SELECT, replacements: { productIds: productIds ?? [] } },
  );
  return rows.map((r) => Number(r.id));
}

interface AlertState {
  id: number | string;
  stock: number | string;
  low_stock_threshold: number | string | null;
  archived_at: unknown;
  open: number | string | boolean;
}

/** The changed products' alert inputs, read in the stock change's pipeline (the shop default comes with it, see registerStockAlerts). */
function alertStateStatement(productIds: number[]): PipelinedStatement {
  return {
    sql: `SELECT p.id, p.stock, p.low_stock_threshold, p.archived_at, CASE WHEN ${OPEN_SQL} THEN 1 ELSE 0 END AS open
            FROM products p WHERE p.id IN (${productIds.map((id) => Math.trunc(id)).join(',')}) ORDER BY p.id`,
    type: QueryTypes.SELECT,
  };
}

/** candidates() of those rows: the products whose need of an alert is not what they have. */
function candidatesOf(rows: AlertState[], shopDefault: number): number[] {
  return rows
    .filter((r) => {
      const product = { archivedAt: toDate(r.archived_at), lowStockThreshold: r.low_stock_threshold === null ? null : Number(r.low_stock_threshold) };
      return needsAlert(product, Number(r.stock), shopDefault) !== (Number(r.open) === 1);
    })
    .map((r) => Number(r.id));
}

type Outcome = { raised: StockAlert } | { resolved: number } | undefined;

/** A product needs an open alert while it is active and its stock is at or below its threshold. */
function needsAlert(product: Pick<Product, 'archivedAt' | 'lowStockThreshold'>, stock: number, shopDefault: number): boolean {
  return !product.archivedAt && stock <= effectiveThreshold(product, shopDefault);
}

/**
 * Re-reads the product and its open alerts under a row lock, so two checks
 * racing for the same product raise at most one alert (SQLite serialises
 * writers in transaction(); MariaDB waits on the product row). A raised
 * alert's mail is queued in the same transaction: both or neither.
 */
function settle(productId: number, shopDefault: number): Promise<Outcome> {
  return transaction(async () => {
    const product = await Product.findByPk(productId, { lock: true });
    if (!product) return undefined;
    const open = await StockAlert.findAll({ where: { productId, status: [...OPEN] }, lock: true });
    const threshold = effectiveThreshold(product, shopDefault);
    if (needsAlert(product, product.stock, shopDefault)) {
      if (open.length > 0) return undefined;
      const alert = await StockAlert.create({ productId, status: 'pending', stockAtAlert: product.stock, threshold });
      await queueAlertMail(alert, product);
      return { raised: alert };
    }
    if (open.length === 0) return undefined;
    const [resolved] = await StockAlert.update(
      { status: 'resolved', resolvedAt: clockNow() },
      { where: { id: open.map((a) => a.id), status: [...OPEN] }},
    );
    return { resolved };
  });
}

/**
 * Settles the alerts of products whose stock just changed; a failure fails
 * (and rolls back) the change. `read` holds the rows of the settings and
 * alertStateStatement when the change sent them.
 */
async function settleChanged(productIds: number[], read?: unknown[]): Promise<void> {
  const shopDefault = (read ? settingsStatement().settingsOf(read[0]) : await getSettings()).lowStockThreshold;
  const changing = read ? candidatesOf(read[1] as AlertState[], shopDefault) : await candidates(shopDefault, productIds);
  for (const productId of changing) await settle(productId, shopDefault);
}

/**
 * The alerts of a history of stock changes written in one go
 * (applyStockHistory), as settleChanged leaves them after each change in
 * turn: raised, with its mail, where a product fell to its threshold with no
 * open alert; resolved where it rose above it again (or is archived).
 */
async function settleHistory(steps: StockSteps): Promise<void> {
  const shopDefault = (await getSettings()).lowStockThreshold;
  const ids = [...new Set(steps.flat().map((s) => s.productId))];
  if (!ids.length) return;
  const products = new Map((await Product.findAll({ where: { id: ids }, order: [['id', 'ASC']], lock: true })).map((p) => [p.id, p]));
  const stored = await StockAlert.findAll({ where: { productId: ids, status: [...OPEN] }, order: [['id', 'ASC']], lock: true });
  const open = new Map<number, number[] | { raised: number }>();
  for (const alert of stored) open.set(alert.productId, [...((open.get(alert.productId) as number[] | undefined) ?? []), alert.id]);
  const raised: { productId: number; status: 'pending' | 'resolved'; stockAtAlert: number; threshold: number; resolvedAt: Date | null }[] = [];
  const resolved: number[] = [];
  for (const { productId, stock } of steps.flat()) {
    const product = products.get(productId);
    if (!product) continue;
    const threshold = effectiveThreshold(product, shopDefault);
    const low = needsAlert(product, stock, shopDefault);
    const current = open.get(productId);
    if (low && !current) {
      open.set(productId, { raised: raised.length });
      raised.push({ productId, status: 'pending', stockAtAlert: stock, threshold, resolvedAt: null });
    } else if (!low && current) {
      open.delete(productId);
      if (Array.isArray(current)) resolved.push(...current);
      else Object.assign(raised[current.raised], { status: 'resolved', resolvedAt: clockNow() });
    }
  }
  if (resolved.length) await StockAlert.update({ status: 'resolved', resolvedAt: clockNow() }, { where: { id: resolved, status: [...OPEN] } });
  // Every raised alert mailed, as when it was raised (a later resolution does not take the mail back).
  for (const alert of await StockAlert.bulkCreate(raised)) await queueAlertMail(alert, products.get(alert.productId)!);
}

/**
 * Raises, resolves and mails stock alerts for the given products (all when
 * omitted). The mail goes through the outbox: the alert turns 'sent' once
 * the mail server accepted it and stays 'pending' while delivery is retried.
 */
export async function checkStockAlerts(productIds?: number[]): Promise<AlertCheckSummary> {
  const shopDefault = (await getSettings()).lowStockThreshold;
  const summary: AlertCheckSummary = { raised: 0, resolved: 0 };
  for (const productId of await candidates(shopDefault, productIds)) {
    try {
      const outcome = await settle(productId, shopDefault);
      if (outcome && 'raised' in outcome) summary.raised += 1;
      else if (outcome) summary.resolved += outcome.resolved;
    } catch (err) {
      logger().warn({ err: (err as Error).message, productId }, 'stock alert check failed');
    }
  }
  return summary;
}

async function alertRecipients(): Promise<string[]> {
  const configured = (await getSettings()).alertEmail ?? getConfig().alertEmail;
  if (configured) return [configured];
  const admins = await User.findAll({ where: { role: 'admin' }, attributes: ['email'], order: [['id', 'ASC']] });
  return admins.map((a) => a.email);
}

async function queueAlertMail(alert: StockAlert, product: Product): Promise<void> {
  const to = await alertRecipients();
  if (to.length === 0) {
    logger().warn({ alertId: alert.id }, 'stock alert has no recipient (set ALERT_EMAIL or add an admin)');
    return;
  }
  const { companyName } = await getSettings();
  await enqueueMail({
    to,
    subject: `Low stock: ${product.name} (${product.sku})`,
    text: [
      `${product.name} (SKU ${product.sku}) is down to ${alert.stockAtAlert} ${product.unit}, at or below its low-stock threshold of ${alert.threshold}.`,
      '',
      `Reorder suggestions: ${getConfig().appUrl}/api/inventory/reorder-recommendations`,
      `Product: ${getConfig().appUrl}/admin/resources/Product/records/${product.id}/show`,
      '',
      `${companyName} · StockPilot`,
    ].join('\n'),
  }, { kind: 'stock_alert', refId: alert.id });
}

export async function listAlerts(query: AlertListQuery): Promise<Page<StockAlert>> {
  const where = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.productId ? { productId: query.productId } : {}),
  };
  // The mail worker turns alerts 'sent' at any moment: rows and total from one snapshot.
  const { rows, count } = await readSnapshot(() => StockAlert.findAndCountAll({
    where,
    include: [{ model: Product, as: 'product', attributes: PRODUCT_ATTRIBUTES }],
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  }));
  return { data: rows, page: query.page, limit: query.limit, total: count };
}

/** Closes an open alert by hand; the product alerts again on its next stock change if it is still low. */
export async function resolveAlert(id: number, actor: Actor): Promise<StockAlert> {
  await transaction(async () => {
    const alert = await StockAlert.findByPk(id, { lock: true});
    if (!alert) throw notFound('Stock alert');
    if (alert.status === 'resolved') throw conflict('This alert is already resolved');
    const from = alert.status;
    await alert.update({ status: 'resolved', resolvedAt: clockNow() });
    await recordAudit(
      { userId: actor.id, action: 'stock_alert.resolve', entityType: 'stock_alert', entityId: id, changes: { status: { from, to: 'resolved' } }, ip: actor.ip }
    );
  });
  return (await StockAlert.findByPk(id, { include: [{ model: Product, as: 'product', attributes: PRODUCT_ATTRIBUTES }] }))!;
}

