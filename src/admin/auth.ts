import type { CurrentAdmin } from 'adminjs';
import type { Request } from 'express';
import { getConfig } from '../config/index.js';
import { sharedCounter } from '../shared/rate-limit-store.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { decoyHash, verifyPassword } from '../modules/auth/password.js';
import { findUserByEmail } from '../modules/users/user.service.js';
import { isBackOfficeRole } from '../shared/rights.js';
import { panelSessionUser } from './panel-session.js';

const WINDOW_MINUTES = 15;
const WINDOW_MS = WINDOW_MINUTES * 60 * 1000;
/** What the login page says once an address has used up its failed sign-ins (AdminJS's `tooManyRequests` message). */
export const SIGN_IN_LOCKED_MESSAGE = `Too many failed sign-ins from your address. Please wait ${WINDOW_MINUTES} minutes before trying again.`;
/** Failed sign-ins per IP in the window, counted across instances (per database); AUTH_RATE_LIMIT is shared with the REST login. */
const failures = sharedCounter('panel-sign-in', WINDOW_MS);

async function tooManyFailures(ip: string): Promise<boolean> {
  const entry = await failures().get?.(ip);
  return (entry?.totalHits ?? 0) >= getConfig().authRateLimit;
}

/**
 * The panel's sign-in: bcrypt against the users table, back-office roles only.
 * A wrong password, an unknown email and a storefront account look the same
 * to the person signing in; each failure is audit-logged and counted per IP.
 */
export async function authenticateAdmin(email: string, password: string, context?: { req: Request }): Promise<CurrentAdmin | null> {
  const ip = context?.req.ip ?? 'unknown';
  if (await tooManyFailures(ip)) throw new Error('tooManyRequests');
  const normalised = String(email ?? '').trim().toLowerCase();
  const user = normalised ? await findUserByEmail(normalised) : null;
  const ok = await verifyPassword(String(password ?? ''), user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok || !isBackOfficeRole(user.role)) {
    await failures().increment(ip);
    await recordAudit({
      userId: user?.id ?? null,
      action: 'auth.admin_login_failed',
      entityType: 'user',
      entityId: user?.id,
      changes: { email: normalised, reason: user && ok ? 'not a back-office role' : 'invalid credentials' },
      ip,
    });
    return null;
  }
  await failures().resetKey(ip);
  user.lastLoginAt = new Date();
  await user.save();
  await recordAudit({ userId: user.id, action: 'auth.admin_login', entityType: 'user', entityId: user.id, ip });
  return panelSessionUser(user);
}
