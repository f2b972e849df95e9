import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../http/schemas.js';
import { createUserBody, updateUserBody, userListQuery, UserSchema } from './user.schemas.js';
import { createUser, deleteUser, getUser, listUsers, updateUser } from './user.service.js';

export const userRoutes = new ApiRouter('/users', 'Users')
  .get('/', { summary: 'List users', access: 'users:manage', query: userListQuery, response: listOf(UserSchema) }, ({ query }) =>
    listUsers(query),
  )
  .post(
    '/',
    { summary: 'Create a user with any role', access: 'users:manage', body: createUserBody, status: 201, response: UserSchema, errors: [409] },
    ({ body, user, req }) => createUser(body, { id: user!.id, ip: req.ip }),
  )
  .get('/:id', { summary: 'Get a user', access: 'users:manage', params: idParams, response: UserSchema }, ({ params }) =>
    getUser(params.id),
  )
  .put(
    '/:id',
    { summary: 'Update a user (role changes are audit-logged)', access: 'users:manage', params: idParams, body: updateUserBody, response: UserSchema, errors: [409] },
    ({ params, body, user, req }) => updateUser(params.id, body, { id: user!.id, ip: req.ip }),
  )
  .delete(
    '/:id',
    { summary: 'Delete a user (not yourself)', access: 'users:manage', params: idParams, errors: [409] },
    async ({ params, user, req }) => {
      await deleteUser(params.id, { id: user!.id, ip: req.ip });
    },
  );
