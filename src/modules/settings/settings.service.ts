import { getConfig } from '../../config/index.js';
import { currentTransaction, transaction } from '../../db/index.js';
import type { Actor } from '../../shared/actor.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { Setting } from './setting.model.js';
import { rollupsFollowTimeZone } from '../analytics/sales-rollups.js';
import { SettingsSchema, type Settings } from './settings.schemas.js';

export function defaultSettings(): Settings {
  return {
    companyName: 'StockPilot Demo Co.',
    currency: 'USD',
    taxRate: 0,
    lowStockThreshold: 10,
    invoicePrefix: 'INV',
    alertEmail: getConfig().alertEmail ?? null,
    timezone: 'UTC',
    aiEnabled: true,
    aiModel: getConfig().openai.model,
  };
}

/** Settings change rarely and are read on every sale: keep them briefly, drop them on write. */
const TTL_MS = 2_000;
let cache: { value: Settings; at: number } | undefined;

/** The settings; inside a transaction they are read in it (and not cached). */
export async function getSettings(): Promise<Settings> {
  const inTransaction = Boolean(currentTransaction());
  if (!inTransaction && cache && Date.now() - cache.at < TTL_MS) return cache.value;
  const rows = await Setting.findAll();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const merged = { ...defaultSettings(), ...stored };
  const parsed = SettingsSchema.safeParse(merged);
  const value = Object.freeze(parsed.success ? parsed.data : defaultSettings());
  if (!inTransaction) cache = { value, at: Date.now() };
  return value;
}

export async function updateSettings(patch: Partial<Settings>, actor: Actor): Promise<Settings> {
  const before = await getSettings();
  await transaction(async () => {
    for (const [key, value] of Object.entries(patch)) {
      const [row, created] = await Setting.findOrCreate({ where: { key }, defaults: { key, value }});
      if (!created) {
        row.value = value;
        row.changed('value', true);
        await row.save();
      }
    }
    if (patch.timezone !== undefined) await rollupsFollowTimeZone(patch.timezone);
    await recordAudit(
      { userId: actor.id, action: 'settings.update', entityType: 'settings', changes: changedFields(before, patch), ip: actor.ip }
    );
  });
  cache = undefined;
  return getSettings();
}

/** Drops stored values so the defaults apply again (the panel's delete of a settings row). */
export async function resetSettings(keys: (keyof Settings)[], actor: Actor): Promise<Settings> {
  const before = await getSettings();
  await transaction(async () => {
    const removed = await Setting.destroy({ where: { key: keys } });
    if (keys.includes('timezone')) await rollupsFollowTimeZone(defaultSettings().timezone);
    if (removed) {
      const defaults = defaultSettings();
      const patch = Object.fromEntries(keys.map((key) => [key, defaults[key]]));
      await recordAudit({ userId: actor.id, action: 'settings.update', entityType: 'settings', changes: changedFields(before, patch), ip: actor.ip });
    }
  });
  cache = undefined;
  return getSettings();
}

export function clearSettingsCache(): void {
  cache = undefined;
}
