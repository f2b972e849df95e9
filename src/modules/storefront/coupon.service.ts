import { Op, col, literal, type Transaction, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import { badRequest, duplicate, notFound } from '../../shared/errors.js';
import { orderFrom, type Page } from '../../http/schemas.js';
import type { AuthUser } from '../../http/auth.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { User } from '../users/user.model.js';
import { Coupon, CouponUser } from './storefront.models.js';
import type { CouponCheck, CouponListQuery, CreateCouponInput, UpdateCouponInput } from './coupon.schemas.js';

export interface Actor {
  id: number;
  ip?: string | null;
}

export type CouponView = ReturnType<Coupon['toJSON']> & { userIds: number[] };

async function withUserIds(coupons: Coupon[], t?: Transaction): Promise<CouponView[]> {
  const links = coupons.length
    ? await CouponUser.findAll({ where: { couponId: coupons.map((c) => c.id) }, order: [['userId', 'ASC']], transaction: t })
    : [];
  return coupons.map((c) => ({ ...c.toJSON(), userIds: links.filter((l) => l.couponId === c.id).map((l) => l.userId) }));
}

export async function listCoupons(query: CouponListQuery): Promise<Page<CouponView>> {
  const where: WhereOptions<Coupon> = {};
  if (query.active !== undefined) Object.assign(where, { active: query.active });
  if (query.targetRole) Object.assign(where, { targetRole: query.targetRole });
  if (query.search) Object.assign(where, { [Op.or]: [{ code: { [Op.like]: `%${query.search.toUpperCase()}%` } }, { description: { [Op.like]: `%${query.search}%` } }] });
  const { rows, count } = await Coupon.findAndCountAll({
    where,
    order: [orderFrom(query.sort, '-createdAt'), ['id', 'ASC']],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  });
  return { data: await withUserIds(rows), page: query.page, limit: query.limit, total: count };
}

async function findCoupon(id: number, t?: Transaction): Promise<Coupon> {
  const coupon = await Coupon.findByPk(id, { transaction: t });
  if (!coupon) throw notFound('Coupon');
  return coupon;
}

export async function getCoupon(id: number): Promise<CouponView> {
  return (await withUserIds([await findCoupon(id)]))[0];
}

async function assertUsersExist(userIds: number[], t: Transaction) {
  const unique = [...new Set(userIds)];
  const found = await User.count({ where: { id: unique }, transaction: t });
  if (found !== unique.length) throw badRequest('Unknown user in userIds', [{ path: 'userIds', message: 'every id must be an existing user' }]);
}

async function assertCodeFree(code: string, exceptId: number | null, t: Transaction) {
  const taken = await Coupon.findOne({ where: { code, ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) }, transaction: t });
  if (taken) throw duplicate(`Coupon code ${code} already exists`, [{ path: 'code', message: 'already exists' }]);
}

async function setUsers(couponId: number, userIds: number[], t: Transaction) {
  await CouponUser.destroy({ where: { couponId }, transaction: t });
  await CouponUser.bulkCreate([...new Set(userIds)].map((userId) => ({ couponId, userId })), { transaction: t });
}

export async function createCoupon(input: CreateCouponInput, actor: Actor): Promise<CouponView> {
  const { userIds = [], ...fields } = input;
  return transaction(async (t) => {
    await assertCodeFree(fields.code, null, t);
    await assertUsersExist(userIds, t);
    const coupon = await Coupon.create(fields, { transaction: t });
    await setUsers(coupon.id, userIds, t);
    await recordAudit({ userId: actor.id, action: 'coupon.create', entityType: 'coupon', entityId: coupon.id, changes: { ...fields, userIds }, ip: actor.ip }, t);
    return (await withUserIds([coupon], t))[0];
  });
}

export async function updateCoupon(id: number, input: UpdateCouponInput, actor: Actor): Promise<CouponView> {
  const { userIds, ...fields } = input;
  return transaction(async (t) => {
    const coupon = await findCoupon(id, t);
    const [before] = await withUserIds([coupon], t);
    const validFrom = fields.validFrom === undefined ? coupon.validFrom : fields.validFrom;
    const validTo = fields.validTo === undefined ? coupon.validTo : fields.validTo;
    if (validFrom && validTo && validTo.getTime() <= validFrom.getTime()) {
      throw badRequest('validTo must be after validFrom', [{ path: 'validTo', message: 'must be after validFrom' }]);
    }
    if (fields.code) await assertCodeFree(fields.code, id, t);
    if (userIds) {
      await assertUsersExist(userIds, t);
      await setUsers(id, userIds, t);
    }
    await coupon.update(fields, { transaction: t });
    const changes = changedFields(before, { ...fields, ...(userIds ? { userIds: [...new Set(userIds)].sort((a, b) => a - b) } : {}) });
    await recordAudit({ userId: actor.id, action: 'coupon.update', entityType: 'coupon', entityId: id, changes, ip: actor.ip }, t);
    return (await withUserIds([coupon], t))[0];
  });
}

/** Orders keep their coupon code as text, so deleting a coupon never changes past orders. */
export async function deleteCoupon(id: number, actor: Actor): Promise<void> {
  await transaction(async (t) => {
    const coupon = await findCoupon(id, t);
    await recordAudit({ userId: actor.id, action: 'coupon.delete', entityType: 'coupon', entityId: id, changes: { code: coupon.code }, ip: actor.ip }, t);
    await CouponUser.destroy({ where: { couponId: id }, transaction: t });
    await coupon.destroy({ transaction: t });
  });
}

/**
 * Finds the coupon and tells why it does not apply to this user now (400 with
 * the reason), or returns it. Orders call it again inside their transaction.
 */
export async function applicableCoupon(rawCode: string, user: Pick<AuthUser, 'id' | 'role'>, now: Date, t?: Transaction): Promise<Coupon> {
  const code = rawCode.trim().toUpperCase();
  const coupon = await Coupon.findOne({ where: { code }, transaction: t });
  const refuse = (why: string) => badRequest(`Coupon ${code} cannot be used: ${why}`, [{ path: 'couponCode', message: why }]);
  if (!coupon) throw badRequest(`Unknown coupon code ${code}`, [{ path: 'couponCode', message: 'unknown code' }]);
  if (!coupon.active) throw refuse('it is not active');
  if (coupon.validFrom && coupon.validFrom.getTime() > now.getTime()) throw refuse(`it is valid from ${coupon.validFrom.toISOString()}`);
  if (coupon.validTo && coupon.validTo.getTime() < now.getTime()) throw refuse(`it expired on ${coupon.validTo.toISOString()}`);
  if (coupon.targetRole !== 'all' && coupon.targetRole !== user.role) throw refuse(`it is for ${coupon.targetRole} accounts only`);
  const assigned = await CouponUser.findAll({ where: { couponId: coupon.id }, attributes: ['userId'], transaction: t });
  if (assigned.length && !assigned.some((a) => a.userId === user.id)) throw refuse('it is not assigned to you');
  if (coupon.usageLimit !== null && coupon.usedCount >= coupon.usageLimit) throw refuse('its usage limit has been reached');
  return coupon;
}

export async function validateCoupon(code: string, user: Pick<AuthUser, 'id' | 'role'>): Promise<CouponCheck> {
  const coupon = await applicableCoupon(code, user, new Date());
  return {
    code: coupon.code,
    discountPercent: coupon.discountPercent,
    description: coupon.description ?? null,
    validTo: coupon.validTo ? coupon.validTo.toISOString() : null,
    usesLeft: coupon.usageLimit === null ? null : coupon.usageLimit - coupon.usedCount,
  };
}

/**
 * Counts one use with a guarded update, so two orders racing for the last use
 * cannot both get it: the database re-checks the limit under the row lock.
 */
export async function consumeCouponUse(coupon: Coupon, t: Transaction): Promise<void> {
  const [updated] = await Coupon.update(
    { usedCount: literal('used_count + 1') as unknown as number },
    { where: { id: coupon.id, [Op.or]: [{ usageLimit: null }, { usedCount: { [Op.lt]: col('usage_limit') } }] }, transaction: t },
  );
  if (updated !== 1) {
    throw badRequest(`Coupon ${coupon.code} cannot be used: its usage limit has been reached`, [{ path: 'couponCode', message: 'its usage limit has been reached' }]);
  }
}

/** A cancelled order gives its coupon use back. */
export async function releaseCouponUse(couponId: number, t: Transaction): Promise<void> {
  await Coupon.update(
    { usedCount: literal('used_count - 1') as unknown as number },
    { where: { id: couponId, usedCount: { [Op.gt]: 0 } }, transaction: t },
  );
}
