import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../shared/schemas.js';
import { createUserBody, updateUserBody, userListQuery, UserSchema } from './user.schemas.js';
import { createUser, deleteUser, getUser, listUsers, updateUser } from './user.service.js';

export const userRoutes = new ApiRouter('/users', 'Users')
  .get('/', { operationId: 'listUsers', summary: 'List users', access: 'users:manage', query: userListQuery, response: listOf(UserSchema) }, ({ query }) =>
    listUsers(query),
  )
  .post(
    '/',
    { operationId: 'createUser', summary: 'Create a user with any role', access: 'users:manage', body: createUserBody, status: 201, response: UserSchema, errors: [409] },
    ({ body, actor }) => createUser(body, actor),
  )
  .get('/:id', { operationId: 'getUser', summary: 'Get a user', access: 'users:manage', params: idParams, response: UserSchema }, ({ params }) =>
    getUser(params.id),
  )
  .put(
    '/:id',
    { operationId: 'updateUser', summary: 'Update a user (role changes are audit-logged)', access: 'users:manage', params: idParams, body: updateUserBody, response: UserSchema, errors: [409] },
    ({ params, body, actor }) => updateUser(params.id, body, actor),
  )
  .delete(
    '/:id',
    { operationId: 'deleteUser', summary: 'Delete a user (not yourself)', access: 'users:manage', params: idParams, errors: [409] },
    async ({ params, actor }) => {
      await deleteUser(params.id, actor);
    },
  );
