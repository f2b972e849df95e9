import { getConfig } from '../../config/index.js';
import { enqueueMail } from '../mail/outbox.service.js';
import { getSettings } from '../settings/settings.service.js';
import type { Order, OrderItem } from './storefront.models.js';

type MailedOrder = Order & { items?: OrderItem[] };
interface Recipient {
  email: string;
  name: string;
}

function money(amount: number, currency: string): string {
  return `${amount.toFixed(2)} ${currency}`;
}

function lines(order: MailedOrder, currency: string): string[] {
  const items = (order.items ?? []).map((i) => `  ${i.quantity} x ${i.productName} @ ${money(i.unitPrice, currency)} = ${money(i.lineTotal, currency)}`);
  return [
    ...items,
    '',
    `Subtotal: ${money(order.subtotal, currency)}`,
    ...(order.discount ? [`Coupon ${order.couponCode ?? ''}: -${money(order.discount, currency)}`] : []),
    `Tax: ${money(order.tax, currency)}`,
    `Total: ${money(order.total, currency)}`,
  ];
}

const STATUS_TEXT = {
  confirmed: (n: string) => ({ subject: `Order ${n} confirmed`, intro: `Thank you for your order ${n}. We have received it and will ship it soon.` }),
  shipped: (n: string) => ({ subject: `Order ${n} shipped`, intro: `Good news: your order ${n} is on its way.` }),
  delivered: (n: string) => ({ subject: `Order ${n} delivered`, intro: `Your order ${n} has been delivered. We hope you enjoy it; you can now review its products.` }),
  cancelled: (n: string) => ({ subject: `Order ${n} cancelled`, intro: `Your order ${n} has been cancelled. Nothing will be shipped.` }),
} as const;

export type OrderMailKind = keyof typeof STATUS_TEXT;

/** Tells the customer about their order: queued in the transaction that changed it, so it goes out once that commits. */
export async function mailOrderUpdate(kind: OrderMailKind, order: MailedOrder, to: Recipient): Promise<void> {
  const settings = await getSettings();
  const { subject, intro } = STATUS_TEXT[kind](order.orderNumber ?? `#${order.id}`);
  const text = [
    `Hello ${to.name},`,
    '',
    intro,
    '',
    ...lines(order, settings.currency),
    '',
    `Delivery address: ${order.deliveryAddress}`,
    `Your orders: ${getConfig().appUrl}/api/orders/${order.id}`,
    '',
    settings.companyName,
  ].join('\n');
  await enqueueMail({ to: to.email, subject: `${settings.companyName}: ${subject}`, text }, { kind: 'order', refId: order.id });
}
