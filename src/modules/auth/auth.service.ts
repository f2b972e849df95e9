import { createHash, randomBytes } from 'node:crypto';
import { literal, Op } from 'sequelize';
import { getConfig } from '../../config/index.js';
import { transaction } from '../../db/index.js';
import { badRequest, unauthenticated } from '../../shared/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { enqueueMail } from '../mail/outbox.service.js';
import { createUser, findUserByEmail } from '../users/user.service.js';
import { User } from '../users/user.model.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { issueToken } from './token.service.js';
import type { Actor, UserActor } from '../../shared/actor.js';
import type { ForgotPasswordInput, LoginInput, RegisterInput, ResetPasswordInput, UpdateMeInput } from './auth.schemas.js';

const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export async function register(input: RegisterInput, actor: Actor) {
  const user = await createUser({ ...input, role: 'customer' }, actor);
  return { token: issueToken(user), user };
}

/** Same answer and about the same time for an unknown email and a wrong password. */
export async function login({ email, password }: LoginInput, { ip }: Actor) {
  const user = await findUserByEmail(email);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok) {
    await recordAudit({ userId: user?.id ?? null, action: 'auth.login_failed', entityType: 'user', entityId: user?.id, changes: { email }, ip });
    throw unauthenticated('Invalid email or password');
  }
  user.lastLoginAt = new Date();
  await user.save();
  await recordAudit({ userId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, ip });
  return { token: issueToken(user), user };
}

/** Revokes every token the user holds (server-side): their token version moves on. */
export async function logout({ id: userId, ip }: UserActor): Promise<void> {
  await transaction(async () => {
    // An update, not User.increment (which runs no hooks): the token-user cache hears of it.
    await User.update({ tokenVersion: literal('token_version + 1') }, { where: { id: userId } });
    await recordAudit({ userId, action: 'auth.logout', entityType: 'user', entityId: userId, ip });
  });
}

export async function updateMe(input: UpdateMeInput, { id: userId, ip }: UserActor) {
  const user = await User.findByPk(userId);
  if (!user) throw unauthenticated();
  const { password, currentPassword, ...profile } = input;
  if (password && !(await verifyPassword(currentPassword ?? '', user.passwordHash))) {
    throw unauthenticated('Current password is incorrect');
  }
  const newHash = password ? await hashPassword(password) : undefined;
  await transaction(async () => {
    user.set(profile);
    if (newHash) {
      user.passwordHash = newHash;
      user.tokenVersion += 1;
    }
    await user.save();
    await recordAudit(
      { userId, action: 'user.update_self', entityType: 'user', entityId: userId, changes: { ...profile, ...(newHash ? { password: true } : {}) }, ip }
    );
  });
  return { user, ...(newHash ? { token: issueToken(user) } : {}) };
}

/** Always resolves: whether the email exists is never revealed. */
export async function forgotPassword({ email }: ForgotPasswordInput, { ip }: Actor): Promise<void> {
  const user = await findUserByEmail(email);
  if (!user) return;
  const token = randomBytes(32).toString('base64url');
  const link = `${getConfig().appUrl}/reset-password?token=${token}`;
  // The token and its mail commit together: no mail for a token that was never stored.
  await transaction(async () => {
    user.resetTokenHash = sha256(token);
    user.resetTokenExpiresAt = new Date(Date.now() + RESET_TOKEN_TTL_MS);
    await user.save();
    await recordAudit({ userId: user.id, action: 'auth.password_reset_requested', entityType: 'user', entityId: user.id, ip });
    await enqueueMail(
      {
        to: user.email,
        subject: 'Reset your StockPilot password',
        text: `Hello ${user.name},\n\nUse this link within one hour to choose a new password:\n${link}\n\nIf you did not ask for this, ignore this email.\n`,
      },
      { kind: 'password_reset', refId: user.id },
    );
  });
}

export async function resetPassword({ token, password }: ResetPasswordInput, { ip }: Actor): Promise<void> {
  const user = await User.findOne({
    where: { resetTokenHash: sha256(token), resetTokenExpiresAt: { [Op.gt]: new Date() } },
  });
  if (!user) throw badRequest('Reset token is invalid, used or expired');
  const passwordHash = await hashPassword(password);
  await transaction(async () => {
    // Guarded on the hash so two concurrent resets cannot both use one token.
    const [updated] = await User.update(
      { passwordHash, resetTokenHash: null, resetTokenExpiresAt: null, tokenVersion: user.tokenVersion + 1 },
      { where: { id: user.id, resetTokenHash: sha256(token) }},
    );
    if (updated !== 1) throw badRequest('Reset token is invalid, used or expired');
    await recordAudit({ userId: user.id, action: 'auth.password_reset', entityType: 'user', entityId: user.id, ip });
  });
}
