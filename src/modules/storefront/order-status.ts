import { conflict } from '../../shared/errors.js';
import type { OrderStatus } from './storefront.models.js';

/** The order life cycle: the only legal moves. Delivered and cancelled are final. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = Object.freeze({
  pending: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
});

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    const allowed = ORDER_TRANSITIONS[from];
    throw conflict(
      `An order that is ${from} cannot become ${to}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ` (${from} is final)`),
    );
  }
}
