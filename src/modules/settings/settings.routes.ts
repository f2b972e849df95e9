import { ApiRouter } from '../../http/route.js';
import { SettingsSchema, updateSettingsBody } from './settings.schemas.js';
import { getSettings, updateSettings } from './settings.service.js';

export const settingsRoutes = new ApiRouter('/settings', 'Settings')
  .get('/', { operationId: 'getSettings', summary: 'Business settings', access: 'settings:read', response: SettingsSchema }, () => getSettings())
  .put(
    '/',
    { operationId: 'updateSettings', summary: 'Update settings (partial)', access: 'settings:write', body: updateSettingsBody, response: SettingsSchema },
    ({ body, actor }) => updateSettings(body, actor),
  );
