import type { ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';
import { Setting } from '../../modules/settings/setting.model.js';
import { clearSettingsCache } from '../../modules/settings/settings.service.js';
import { canWriteSettings } from '../access.js';
import { auditedResource } from '../audited-resource.js';
import { builtInActions, NAVIGATION, readOnly, type ActionOptions } from './resource-helpers.js';

/** Values are JSON: "25" stays the number 25, "true" a boolean, anything unparsable plain text. */
async function parseValue(request: ActionRequest): Promise<ActionRequest> {
  if (request.method === 'post' && request.payload && typeof request.payload.value === 'string') {
    const raw = request.payload.value;
    try {
      request.payload = { ...request.payload, value: JSON.parse(raw) };
    } catch {
      request.payload = { ...request.payload, value: raw };
    }
  }
  return request;
}

async function dropCache(response: ActionResponse): Promise<ActionResponse> {
  clearSettingsCache();
  return response;
}

const withCacheDrop = (action: ActionOptions): ActionOptions => ({ ...action, after: [action.after, dropCache].flat().filter(Boolean) as never });

/** Admin-only raw settings (the same rows as /api/settings); the cache is dropped after each write. */
export function settingResource(): ResourceWithOptions {
  const actions = builtInActions({ read: canWriteSettings, create: canWriteSettings, update: canWriteSettings, remove: canWriteSettings });
  return {
    resource: auditedResource(Setting, 'setting'),
    options: {
      navigation: NAVIGATION.administration,
      titleProperty: 'key',
      listProperties: ['key', 'value', 'updatedAt'],
      properties: { createdAt: readOnly, updatedAt: readOnly },
      actions: {
        ...actions,
        new: { ...withCacheDrop(actions.new), before: parseValue },
        edit: { ...withCacheDrop(actions.edit), before: parseValue },
        delete: withCacheDrop(actions.delete),
      },
    },
  };
}
