import type { ResourceWithOptions } from 'adminjs';
import { User } from '../../modules/users/user.model.js';
import { createUserBody, updateUserBody } from '../../modules/users/user.schemas.js';
import { createUser, deleteUser, updateUser } from '../../modules/users/user.service.js';
import { canManageUsers } from '../access.js';
import { serviceResource } from '../service-resource.js';
import { builtInActions, hidden, NAVIGATION, readOnly } from './resource-helpers.js';

/**
 * Users through the users service, as over REST: the password is hashed there
 * (and a new one revokes the user's tokens and panel sessions), role changes
 * are audited as `user.role_change`, and nobody changes their own role or
 * deletes themselves.
 */
export function userResource(): ResourceWithOptions {
  const actions = builtInActions({ read: canManageUsers, create: canManageUsers, update: canManageUsers, remove: canManageUsers });
  return {
    resource: serviceResource(User, {
      create: (input, actor) => createUser(createUserBody.parse(input), actor),
      update: (id, input, actor) => updateUser(id, updateUserBody.parse(input), actor),
      delete: (id, actor) => deleteUser(id, actor),
      virtualFields: ['password'],
    }),
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
      actions,
    },
  };
}
