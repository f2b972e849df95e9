import { Op, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import type { Actor, UserActor } from '../../shared/actor.js';
import { conflict, duplicate, notFound } from '../../shared/errors.js';
import { orderFrom, type Page } from '../../shared/page.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { hashPassword } from '../auth/password.js';
import { User } from './user.model.js';
import type { CreateUserInput, UpdateUserInput, UserListQuery } from './user.schemas.js';


export async function listUsers(query: UserListQuery): Promise<Page<User>> {
  const where: WhereOptions<User> = {};
  if (query.role) Object.assign(where, { role: query.role });
  if (query.search) {
    const like = `%${query.search}%`;
    Object.assign(where, { [Op.or]: [{ name: { [Op.like]: like } }, { email: { [Op.like]: like } }] });
  }
  const { rows, count } = await User.findAndCountAll({
    where,
    order: [orderFrom(query.sort, 'name'), ['id', 'ASC']],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  });
  return { data: rows, page: query.page, limit: query.limit, total: count };
}

export async function getUser(id: number): Promise<User> {
  const user = await User.findByPk(id);
  if (!user) throw notFound('User');
  return user;
}

export async function findUserByEmail(email: string): Promise<User | null> {
  return User.findOne({ where: { email: email.toLowerCase() } });
}

export async function createUser(input: CreateUserInput, actor: Actor): Promise<User> {
  if (await findUserByEmail(input.email)) throw duplicate('Email is already registered', [{ path: 'email', message: 'already registered' }]);
  const { password, ...fields } = input;
  const passwordHash = await hashPassword(password);
  return transaction(async () => {
    const user = await User.create({ ...fields, email: fields.email.toLowerCase(), passwordHash });
    await recordAudit(
      {
        userId: actor.id ?? user.id,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        changes: { name: user.name, email: user.email, role: user.role },
        ip: actor.ip,
      }
    );
    return user;
  });
}

export async function updateUser(id: number, input: UpdateUserInput, actor: UserActor): Promise<User> {
  const user = await getUser(id);
  if (input.email && input.email !== user.email && (await findUserByEmail(input.email))) {
    throw duplicate('Email is already registered', [{ path: 'email', message: 'already registered' }]);
  }
  if (id === actor.id && input.role && input.role !== user.role) throw conflict('You cannot change your own role');
  const { password, ...fields } = input;
  // A copy: get({ plain: true }) returns the live dataValues, which user.set() would overwrite.
  const before = { ...user.get({ plain: true }) };
  return transaction(async () => {
    user.set(fields);
    if (password) {
      user.passwordHash = await hashPassword(password);
      user.tokenVersion += 1;
    }
    await user.save();
    const changes = changedFields(before, fields);
    if (password) changes.password = { from: '[redacted]', to: '[redacted]' };
    const action = changes.role ? 'user.role_change' : 'user.update';
    await recordAudit({ userId: actor.id, action, entityType: 'user', entityId: id, changes, ip: actor.ip });
    return user;
  });
}

export async function deleteUser(id: number, actor: UserActor): Promise<void> {
  if (id === actor.id) throw conflict('You cannot delete your own account');
  const user = await getUser(id);
  await transaction(async () => {
    await recordAudit(
      { userId: actor.id, action: 'user.delete', entityType: 'user', entityId: id, changes: { email: user.email, role: user.role }, ip: actor.ip }
    );
    await user.destroy();
  });
}
