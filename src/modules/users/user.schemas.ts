import { z } from '../../shared/zod.js';
import { listQuery } from '../../shared/schemas.js';
import { ROLES } from '../../shared/rights.js';

export const password = z.string().min(8, 'must be at least 8 characters').max(72, 'must be at most 72 characters');
export const email = z.email().max(190).transform((v) => v.toLowerCase());

export const UserSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

const userFields = z.object({
  name: z.string().trim().min(1).max(120),
  email,
  password,
  role: z.enum(ROLES),
  phone: z.string().trim().max(40).nullable().optional(),
  address: z.string().trim().max(500).nullable().optional(),
});

export const createUserBody = userFields.extend({ role: z.enum(ROLES).default('staff') });
export type CreateUserInput = z.infer<typeof createUserBody>;

// Built from the fields without defaults: a partial of createUserBody would fill in role 'staff' and demote users.
export const updateUserBody = userFields.partial().refine((v) => Object.keys(v).length > 0, 'Nothing to update');
export type UpdateUserInput = z.infer<typeof updateUserBody>;

export const userListQuery = listQuery(['name', 'email', 'role', 'createdAt']).extend({
  role: z.enum(ROLES).optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;
