import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import type { Request } from 'express';
import { getConfig } from '../../config/index.js';
import { AppError } from '../../shared/errors.js';
import { sharedRateLimitStore } from '../../shared/rate-limit-store.js';
import { ApiRouter } from '../../http/route.js';
import {
  AuthResponse,
  forgotPasswordBody,
  loginBody,
  MeResponse,
  registerBody,
  resetPasswordBody,
  updateMeBody,
} from './auth.schemas.js';
import { forgotPassword, login, logout, register, resetPassword, updateMe } from './auth.service.js';
import { getUser } from '../users/user.service.js';

/** A limiter counted across every instance (database or Redis), under its own name. */
function limiter(name: string, windowMs: number, limit: () => number, key: (req: Request) => string) {
  return rateLimit({
    store: sharedRateLimitStore(name),
    windowMs,
    limit: () => limit(),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req, _res, next) => next(new AppError('RATE_LIMITED', 'Too many attempts, try again later', 429)),
  });
}

const ipKey = (req: Request) => ipKeyGenerator(req.ip ?? '0.0.0.0');
const ipAndEmail = (req: Request) => `${ipKey(req)}|${String((req.body as { email?: unknown })?.email ?? '').toLowerCase()}`;

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** Builds the router per app: its limiters count in the shared store of that app's database (or Redis). */
export function authRoutes() {
  return new ApiRouter('/auth', 'Auth')
    .post(
      '/register',
      {
        operationId: 'registerCustomer',
        summary: 'Register a customer account',
        access: 'public',
        body: registerBody,
        status: 201,
        response: AuthResponse,
        errors: [409, 429],
        before: [limiter('register', HOUR, () => getConfig().authRateLimit * 2, ipKey)],
      },
      ({ body, ip }) => register(body, { id: null, ip }),
    )
    .post(
      '/login',
      {
        operationId: 'login',
        summary: 'Sign in with email and password',
        access: 'public',
        body: loginBody,
        response: AuthResponse,
        errors: [401, 429],
        before: [limiter('login', FIFTEEN_MINUTES, () => getConfig().authRateLimit, ipAndEmail)],
      },
      ({ body, ip }) => login(body, { id: null, ip }),
    )
    .post('/logout', { operationId: 'logout', summary: 'Sign out: every token of this user stops working', access: 'authenticated' }, async ({ actor }) => {
      await logout(actor);
    })
    .get('/me', { operationId: 'getMe', summary: 'The signed-in user', access: 'authenticated', response: MeResponse }, async ({ user }) => ({
      user: await getUser(user!.id),
    }))
    .put(
      '/me',
      {
        operationId: 'updateMe',
        summary: 'Update own profile; a password change needs currentPassword and returns a fresh token',
        access: 'authenticated',
        body: updateMeBody,
        response: MeResponse,
      },
      ({ body, actor }) => updateMe(body, actor),
    )
    .post(
      '/forgot-password',
      {
        operationId: 'forgotPassword',
        summary: 'Email a single-use reset link (always 202)',
        access: 'public',
        body: forgotPasswordBody,
        status: 202,
        errors: [429],
        before: [limiter('forgot-password', HOUR, () => getConfig().authRateLimit, ipAndEmail)],
      },
      async ({ body, ip }) => {
        await forgotPassword(body, { id: null, ip });
        return { status: 'accepted' };
      },
    )
    .post('/reset-password', { operationId: 'resetPassword', summary: 'Set a new password with a reset token', access: 'public', body: resetPasswordBody }, async ({ body, ip }) => {
      await resetPassword(body, { id: null, ip });
    });
}
