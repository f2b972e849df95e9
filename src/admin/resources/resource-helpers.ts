import type { Action, ActionContext, ActionRequest, ActionResponse, After } from 'adminjs';
import { recordAudit } from '../../modules/audit/audit.service.js';
import { actorId, never, requestIp, type AccessPredicate } from '../access.js';

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

/** Panel writes are audit-logged like REST writes: `<entity>.create|update|delete` with the submitted fields. */
export function auditAfter(entityType: string, verb: 'create' | 'update' | 'delete'): After<ActionResponse> {
  return async (response: ActionResponse, request: ActionRequest, context: ActionContext) => {
    const succeeded = request.method === 'post' && response.notice?.type !== 'error' && !response.record?.errors?.length;
    const id = context.record?.id() ?? response.record?.id ?? response.record?.params?.id;
    if (succeeded && id) {
      const changes = verb === 'delete' ? null : { ...(request.payload ?? {}) };
      await recordAudit({ userId: actorId(context.currentAdmin), action: `${entityType}.${verb}`, entityType, entityId: id, changes, ip: requestIp(request) });
    }
    return response;
  };
}

/** Built-in actions plus their audit hooks, for resources edited through the generic CRUD. */
export function auditedActions(entityType: string, rights: ActionRights): ActionMap {
  const actions = builtInActions(rights);
  return {
    ...actions,
    new: { ...actions.new, after: auditAfter(entityType, 'create') },
    edit: { ...actions.edit, after: auditAfter(entityType, 'update') },
    delete: { ...actions.delete, after: auditAfter(entityType, 'delete') },
  };
}

export const hidden = { isVisible: false } as const;
export const readOnly = { isVisible: { list: true, show: true, edit: false, filter: true } } as const;
export const showOnly = { isVisible: { list: false, show: true, edit: false, filter: false } } as const;
