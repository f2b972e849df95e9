import type { ActionRequest, ResourceWithOptions } from 'adminjs';
import { Setting } from '../../modules/settings/setting.model.js';
import { updateSettingsBody, type Settings } from '../../modules/settings/settings.schemas.js';
import { resetSettings, updateSettings } from '../../modules/settings/settings.service.js';
import type { UserActor } from '../../shared/actor.js';
import { badRequest } from '../../shared/errors.js';
import { canWriteSettings } from '../access.js';
import { serviceResource, type FormInput } from '../service-resource.js';
import { builtInActions, NAVIGATION, readOnly } from './resource-helpers.js';

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

async function keyOf(id: number): Promise<string> {
  const row = await Setting.findByPk(id, { attributes: ['key'] });
  if (!row) throw badRequest('This setting no longer exists');
  return row.key;
}

/** One row is one setting of PUT /api/settings: the same schema and service decide. */
async function save(key: unknown, value: unknown, actor: UserActor): Promise<{ id: number }> {
  await updateSettings(updateSettingsBody.parse({ [String(key)]: value }), actor);
  const row = await Setting.findOne({ where: { key: String(key) }, attributes: ['id'] });
  return { id: row!.id };
}

/** Admin-only raw settings (the same rows as /api/settings), written through the settings service. */
export function settingResource(): ResourceWithOptions {
  const actions = builtInActions({ read: canWriteSettings, create: canWriteSettings, update: canWriteSettings, remove: canWriteSettings });
  return {
    resource: serviceResource(Setting, {
      create: (input: FormInput, actor) => save(input.key, input.value, actor),
      update: async (id, input, actor) => {
        const key = await keyOf(id);
        if (input.key !== undefined && input.key !== key) throw badRequest('A setting keeps its key; create the other one instead', [{ path: 'key', message: 'cannot be changed' }]);
        return save(key, input.value, actor);
      },
      delete: async (id, actor) => resetSettings([(await keyOf(id)) as keyof Settings], actor),
    }),
    options: {
      navigation: NAVIGATION.administration,
      titleProperty: 'key',
      listProperties: ['key', 'value', 'updatedAt'],
      properties: { createdAt: readOnly, updatedAt: readOnly },
      actions: {
        ...actions,
        new: { ...actions.new, before: parseValue },
        edit: { ...actions.edit, before: parseValue },
      },
    },
  };
}
