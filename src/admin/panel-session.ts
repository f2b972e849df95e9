import type { CurrentAdmin } from 'adminjs';
import type { RequestHandler } from 'express';
import { User } from '../modules/users/user.model.js';
import { isBackOfficeRole } from '../shared/rights.js';

type PanelSession = { adminUser?: CurrentAdmin & { tokenVersion?: number }; destroy(cb: (err?: unknown) => void): void };

/** What the session keeps of the signed-in user: who, their role, and the token version that revokes it. */
export function panelSessionUser(user: Pick<User, 'id' | 'email' | 'name' | 'role' | 'tokenVersion'>): CurrentAdmin & { tokenVersion: number } {
  return { id: String(user.id), email: user.email, title: `${user.name} (${user.role})`, role: user.role, name: user.name, tokenVersion: user.tokenVersion };
}

/**
 * Every panel request re-reads the signed-in user (one primary-key lookup): a
 * session ends the moment its user is deleted, leaves the back-office roles,
 * or has their token version moved on (logout, password change or reset); a
 * role change within the back office takes effect on the next request.
 * Runs after the session middleware, before AdminJS's own routes.
 */
export const checkPanelSession: RequestHandler = async (req, _res, next) => {
  const session = req.session as unknown as PanelSession | undefined;
  const admin = session?.adminUser;
  if (!session || !admin) return next();
  try {
    const user = await User.findByPk(Number(admin.id), { attributes: ['id', 'email', 'name', 'role', 'tokenVersion'] });
    if (!user || !isBackOfficeRole(user.role) || user.tokenVersion !== admin.tokenVersion) {
      // Without a session AdminJS treats the request as signed out (the sign-in page).
      await new Promise<void>((resolve, reject) => session.destroy((err) => (err ? reject(err) : resolve())));
      return next();
    }
    if (user.role !== admin.role || user.name !== admin.name || user.email !== admin.email) session.adminUser = panelSessionUser(user);
    next();
  } catch (err) {
    next(err);
  }
};
