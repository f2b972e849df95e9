import { getConfig } from '../../config/index.js';
import { QueryTypes } from 'sequelize';
import { currentTransaction, transaction, type PipelinedStatement } from '../../db/index.js';
import type { Actor } from '../../shared/actor.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { Setting } from './setting.model.js';
import { parseJsonText } from '../../db/columns.js';
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

/** The stored rows over the defaults; the defaults alone when what is stored does not parse. */
function settingsFrom(stored: Record<string, unknown>): Settings {
  const parsed = SettingsSchema.safeParse({ ...defaultSettings(), ...stored });
  return Object.freeze(parsed.success ? parsed.data : defaultSettings());
}

/** The settings; inside a transaction they are read in it (and not cached). */
export async function getSettings(): Promise<Settings> {
  const inTransaction = Boolean(currentTransaction());
  if (!inTransaction && cache && Date.now() - cache.at < TTL_MS) return cache.value;
  const rows = await Setting.findAll();
  const value = settingsFrom(Object.fromEntries(rows.map((r) => [r.key, r.value])));
  if (!inTransaction) cache = { value, at: Date.now() };
  return value;
}

/**
 * getSettings() as a read for a pipeline of the current transaction (see
 * pipelined): the statement, and the settings from its rows (values stored
 * as JSON text, read as the model reads them).
 */
export function settingsStatement(): { statement: PipelinedStatement; settingsOf(rows: unknown): Settings } {
  return {
    statement: { sql: 'SELECT `key`, value FROM settings', type: QueryTypes.SELECT },
    settingsOf: (rows) => settingsFrom(Object.fromEntries((rows as { key: string; value: string | null }[]).map((r) => [r.key, parseJsonText(r.value)]))),
  };
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
