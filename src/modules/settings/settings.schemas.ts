import { z } from '../../shared/zod.js';

/** Settings are parsed on every read inside a transaction (each sale): the Intl lookups are remembered. */
const known = new Map<string, boolean>();
function remembered(key: string, check: () => boolean): boolean {
  let valid = known.get(key);
  if (valid === undefined) {
    valid = check();
    if (known.size < 1_000) known.set(key, valid);
  }
  return valid;
}
const isTimeZone = (tz: string) =>
  remembered(`tz:${tz}`, () => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  });
const isCurrency = (code: string) =>
  remembered(`currency:${code}`, () => {
    try {
      return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency').includes(code);
    } catch {
      return /^[A-Z]{3}$/.test(code);
    }
  });

export const SettingsSchema = z
  .object({
    companyName: z.string().trim().min(1).max(120),
    currency: z.string().trim().toUpperCase().refine(isCurrency, 'must be an ISO 4217 currency code'),
    taxRate: z.number().min(0).max(100).refine((v) => Math.round(v * 100) === v * 100 || Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'must have at most two decimals'),
    lowStockThreshold: z.number().int().min(0).max(1_000_000),
    invoicePrefix: z.string().trim().min(1).max(12).regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only'),
    alertEmail: z.email().nullable(),
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
    aiEnabled: z.boolean(),
    aiModel: z.string().trim().min(1).max(80),
  })
  .openapi('Settings');

export type Settings = z.infer<typeof SettingsSchema>;

export const updateSettingsBody = SettingsSchema.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Nothing to update');
