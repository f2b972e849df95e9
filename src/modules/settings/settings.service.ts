import type { Transaction } from 'sequelize';
import { getConfig } from '../../config/index.js';
import { transaction } from '../../db/index.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { Setting } from './setting.model.js';
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

export async function getSettings(options: { transaction?: Transaction } = {}): Promise<Settings> {
  if (!options.transaction && cache && Date.now() - cache.at < TTL_MS) return cache.value;
  const rows = await Setting.findAll({ transaction: options.transaction });
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const merged = { ...defaultSettings(), ...stored };
  const parsed = SettingsSchema.safeParse(merged);
  const value = Object.freeze(parsed.success ? parsed.data : defaultSettings());
  if (!options.transaction) cache = { value, at: Date.now() };
  return value;
}

export async function updateSettings(patch: Partial<Settings>, actor: { id: number; ip?: string | null }): Promise<Settings> {
  const before = await getSettings();
  await transaction(async (t) => {
    for (const [key, value] of Object.entries(patch)) {
      const [row, created] = await Setting.findOrCreate({ where: { key }, defaults: { key, value }, transaction: t });
      if (!created) {
        row.value = value;
        row.changed('value', true);
        await row.save({ transaction: t });
      }
    }
    await recordAudit(
      { userId: actor.id, action: 'settings.update', entityType: 'settings', changes: changedFields(before, patch), ip: actor.ip },
      t,
    );
  });
  cache = undefined;
  return getSettings();
}

export function clearSettingsCache(): void {
  cache = undefined;
}
