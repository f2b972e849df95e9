import type { ActionContext, CurrentAdmin } from 'adminjs';
import type { UserActor } from '../shared/actor.js';
import { unauthenticated } from '../shared/errors.js';
import { can, isBackOfficeRole, type Right, type Role } from '../shared/rights.js';

/**
 * AdminJS access predicates, one per right, built on the same rights map as
 * the REST guards (src/shared/rights.ts). Resources use them by name.
 */
export type AccessPredicate = (context: { currentAdmin?: CurrentAdmin } | ActionContext) => boolean;

const allowed =
  (right: Right): AccessPredicate =>
  ({ currentAdmin }) =>
    can(currentAdmin?.role as string | undefined, right);

export const canReadCatalog = allowed('catalog:read');
export const canWriteCatalog = allowed('catalog:write');
export const canDeleteCatalog = allowed('catalog:delete');
export const canRecordStock = allowed('stock:record');
export const canCancelStock = allowed('stock:cancel');
export const canManageLocations = allowed('locations:manage');
/** Post or cancel a stock count, and see a blind count's expected quantities. */
export const canPostCounts = allowed('counts:post');
export const canExport = allowed('exports:read');
export const canManageUsers = allowed('users:manage');
export const canReadSettings = allowed('settings:read');
export const canWriteSettings = allowed('settings:write');
export const canReadAudit = allowed('audit:read');
export const canManageCoupons = allowed('coupons:manage');
export const canManageOrders = allowed('orders:manage');
export const canReadCustomers = allowed('customers:read');
/** Review moderation (delete, never edit) is for admins and managers, the holders of catalog:delete. */
export const canModerateReviews = allowed('reviews:moderate');

export const never: AccessPredicate = () => false;

/** The id of the signed-in back-office user, for audit rows and ledger entries. */
export function actorId(currentAdmin?: CurrentAdmin): number | null {
  const id = Number(currentAdmin?.id);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** The caller's address for audit rows (AdminJS copies the request's own fields, not Express getters). */
export function requestIp(request: object): string | null {
  const { ip, socket } = request as { ip?: unknown; socket?: { remoteAddress?: string } };
  return (typeof ip === 'string' ? ip : socket?.remoteAddress) ?? null;
}

/** The signed-in back-office user as the services' actor (audit rows, ledger entries, rights). */
export function panelActor(currentAdmin: CurrentAdmin | undefined, request: object): UserActor {
  const id = actorId(currentAdmin);
  if (id === null || !isBackOfficeRole(currentAdmin?.role as string | undefined)) throw unauthenticated('Sign in again to continue');
  return { id, role: currentAdmin!.role as Role, ip: requestIp(request) };
}
