/**
 * The one rights map. REST guards and AdminJS predicates are both built on it;
 * nothing else compares role names.
 */
export const BACK_OFFICE_ROLES = ['admin', 'manager', 'staff', 'viewer'] as const;
export const STOREFRONT_ROLES = ['customer', 'retailer'] as const;
export const ROLES = [...BACK_OFFICE_ROLES, ...STOREFRONT_ROLES] as const;

export type Role = (typeof ROLES)[number];
export type BackOfficeRole = (typeof BACK_OFFICE_ROLES)[number];

export const RIGHTS = [
  'catalog:read', // products, suppliers, stock, dashboard, inventory reports
  'catalog:write', // create/update products and suppliers
  'catalog:delete', // delete products and suppliers
  'stock:record', // sales, purchases, shipments, stock adjustments
  'stock:cancel', // cancel a sale, purchase or transfer
  'locations:manage', // create, update, archive and delete locations
  'counts:post', // post or cancel a stock count, and see expected quantities of a blind count
  'exports:read', // CSV and PDF exports, invoices
  'ai:use', // AI query and summary
  'settings:read',
  'settings:write',
  'users:manage',
  'audit:read',
  'reviews:moderate', // delete any shopper's review
  'coupons:manage',
  'orders:manage', // back-office order status updates, all orders
  'customers:read', // storefront accounts and their order history (the panel's Customers view)
  'shop', // cart, wishlist, own orders, own reviews
] as const;

export type Right = (typeof RIGHTS)[number];

const viewer: Right[] = ['catalog:read', 'exports:read', 'ai:use', 'settings:read'];
const staff: Right[] = [...viewer, 'catalog:write', 'stock:record', 'orders:manage'];
const manager: Right[] = [...staff, 'catalog:delete', 'stock:cancel', 'locations:manage', 'counts:post', 'coupons:manage', 'customers:read'];
const admin: Right[] = [...manager, 'settings:write', 'users:manage', 'audit:read', 'reviews:moderate'];
const shopper: Right[] = ['shop'];

export const ROLE_RIGHTS: Readonly<Record<Role, ReadonlySet<Right>>> = Object.freeze({
  admin: new Set(admin),
  manager: new Set(manager),
  staff: new Set(staff),
  viewer: new Set(viewer),
  customer: new Set(shopper),
  retailer: new Set(shopper),
});

export function can(role: string | undefined | null, right: Right): boolean {
  if (!role || !(role in ROLE_RIGHTS)) return false;
  return ROLE_RIGHTS[role as Role].has(right);
}

export function isBackOfficeRole(role: string | undefined | null): role is BackOfficeRole {
  return (BACK_OFFICE_ROLES as readonly string[]).includes(role ?? '');
}
