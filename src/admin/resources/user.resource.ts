import { ValidationError, type ActionContext, type ActionRequest, type ResourceWithOptions } from 'adminjs';
import { User } from '../../modules/users/user.model.js';
import { hashPassword } from '../../modules/auth/password.js';
import { canManageUsers } from '../access.js';
import { auditedResource } from '../audited-resource.js';
import { builtInActions, hidden, NAVIGATION, readOnly } from './resource-helpers.js';

const MIN_PASSWORD = 8;

/**
 * The virtual `password` field becomes a bcrypt hash before the adapter writes;
 * a changed password also moves the token version on (revoking REST tokens).
 */
function hashingPassword(required: boolean) {
  return async (request: ActionRequest, context: ActionContext): Promise<ActionRequest> => {
    if (request.method !== 'post' || !request.payload) return request;
    const { password, passwordHash, resetTokenHash, tokenVersion, ...rest } = request.payload;
    void passwordHash;
    void resetTokenHash;
    void tokenVersion;
    if (typeof rest.email === 'string') rest.email = rest.email.trim().toLowerCase();
    if (!password) {
      if (required) throw new ValidationError({ password: { message: 'A password is required' } });
      request.payload = rest;
      return request;
    }
    if (String(password).length < MIN_PASSWORD || String(password).length > 72) {
      throw new ValidationError({ password: { message: `Use ${MIN_PASSWORD} to 72 characters` } });
    }
    const next: Record<string, unknown> = { ...rest, passwordHash: await hashPassword(String(password)) };
    if (context.record) next.tokenVersion = Number(context.record.get('tokenVersion') ?? 0) + 1;
    request.payload = next;
    return request;
  };
}

export function userResource(): ResourceWithOptions {
  const actions = builtInActions({ read: canManageUsers, create: canManageUsers, update: canManageUsers, remove: canManageUsers });
  return {
    resource: auditedResource(User, 'user'),
    options: {
      navigation: NAVIGATION.administration,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'email', 'role', 'lastLoginAt', 'createdAt'],
      editProperties: ['name', 'email', 'role', 'password', 'phone', 'address'],
      properties: {
        passwordHash: hidden,
        resetTokenHash: hidden,
        resetTokenExpiresAt: hidden,
        tokenVersion: hidden,
        lastLoginAt: readOnly,
        password: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true } },
      },
      actions: {
        ...actions,
        new: { ...actions.new, before: hashingPassword(true) },
        edit: { ...actions.edit, before: hashingPassword(false) },
      },
    },
  };
}
