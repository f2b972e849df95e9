import { z } from '../../shared/zod.js';
import { email, password, UserSchema } from '../users/user.schemas.js';

export const registerBody = z.object({
  name: z.string().trim().min(1).max(120),
  email,
  password,
  phone: z.string().trim().max(40).optional(),
  address: z.string().trim().max(500).optional(),
});

export const loginBody = z.object({ email: z.string().trim().toLowerCase().min(1).max(190), password: z.string().min(1).max(200) });

export const updateMeBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    phone: z.string().trim().max(40).nullable().optional(),
    address: z.string().trim().max(500).nullable().optional(),
    password: password.optional(),
    currentPassword: z.string().max(200).optional(),
  })
  .refine((v) => !v.password || v.currentPassword, { path: ['currentPassword'], message: 'is required to change the password' });
export type UpdateMeInput = z.infer<typeof updateMeBody>;

export const forgotPasswordBody = z.object({ email: z.string().trim().toLowerCase().min(1).max(190) });
export const resetPasswordBody = z.object({ token: z.string().min(10).max(200), password });

export const AuthResponse = z.object({ token: z.string(), user: UserSchema }).openapi('AuthResponse');
// A password change through PUT /me revokes the old token and returns a fresh one.
export const MeResponse = z.object({ user: UserSchema, token: z.string().optional() });
export type RegisterInput = z.infer<typeof registerBody>;
export type LoginInput = z.infer<typeof loginBody>;
export type ForgotPasswordInput = z.infer<typeof forgotPasswordBody>;
export type ResetPasswordInput = z.infer<typeof resetPasswordBody>;
