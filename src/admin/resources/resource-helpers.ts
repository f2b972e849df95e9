import type { Action } from 'adminjs';
import { never, type AccessPredicate } from '../access.js';

export const NAVIGATION = {
  catalog: { name: 'Catalog', icon: 'Package' },
  stock: { name: 'Stock', icon: 'Layers' },
  sales: { name: 'Sales', icon: 'ShoppingCart' },
  purchasing: { name: 'Purchasing', icon: 'Truck' },
  storefront: { name: 'Storefront', icon: 'ShoppingBag' },
  administration: { name: 'Administration', icon: 'Settings' },
} as const;

/** Built-in and custom action options by name (the shape ResourceOptions.actions accepts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActionOptions = Partial<Action<any>>;
export type ActionMap = { [name: string]: ActionOptions };

export interface ActionRights {
  read: AccessPredicate;
  create?: AccessPredicate;
  update?: AccessPredicate;
  remove?: AccessPredicate;
}

/**
 * The built-in actions gated by named rights; anything without a right is off
 * (hidden and refused), so a viewer never sees new/edit/delete/bulk buttons.
 */
export function builtInActions({ read, create = never, update = never, remove = never }: ActionRights): ActionMap {
  const gate = (predicate: AccessPredicate) => ({ isAccessible: predicate, isVisible: predicate });
  return {
    list: gate(read),
    show: gate(read),
    search: gate(read),
    new: gate(create),
    edit: gate(update),
    delete: gate(remove),
    bulkDelete: gate(remove),
  };
}

export const hidden = { isVisible: false } as const;
export const readOnly = { isVisible: { list: true, show: true, edit: false, filter: true } } as const;
export const showOnly = { isVisible: { list: false, show: true, edit: false, filter: false } } as const;
