import type { ActionContext, RecordActionResponse } from 'adminjs';
import { badRequest } from '../shared/errors.js';

/** A custom form's JSON field (`name`), or a 400 saying the `what` form was empty or malformed. */
export function jsonField(payload: Record<string, unknown> | undefined, name: string, what: string): unknown {
  try {
    return JSON.parse(String(payload?.[name] ?? ''));
  } catch {
    throw badRequest(`The ${what} form was empty or malformed`);
  }
}

/** After a record action changed the record: its fresh state, back on its show page, with a success notice. */
export async function backToShow(context: ActionContext, message: string): Promise<RecordActionResponse> {
  const { record, currentAdmin, h, resource } = context;
  const fresh = await resource.findOne(record!.id());
  return {
    record: (fresh ?? record!).toJSON(currentAdmin),
    redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: record!.id(), actionName: 'show' }),
    notice: { message, type: 'success' },
  };
}
