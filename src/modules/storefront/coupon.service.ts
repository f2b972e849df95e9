import { Op, col, literal, type InferAttributes, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import { badRequest, duplicate, notFound } from '../../shared/errors.js';
import { orderFrom, type Page } from '../../shared/page.js';
import type { Actor, UserActor } from '../../shared/actor.js';
import { now as clockNow } from '../../shared/clock.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { User } from '../users/user.model.js';
import { Coupon, CouponUser } from './storefront.models.js';
import type { CouponCheck, CouponListQuery, CreateCouponInput, UpdateCouponInput } from './coupon.schemas.js';

export type CouponView = InferAttributes<Coupon> & { userIds: number[] };

async function withUserIds(coupons: Coupon[]): Promise<CouponView[]> {
  const links = coupons.length
    ? await CouponUser.findAll({ where: { couponId: coupons.map((c) => c.id) }, order: [['userId', 'ASC']] })
    : [];
  return coupons.map((c) => ({ ...(c.toJSON() as InferAttributes<Coupon>), userIds: links.filter((l) => l.couponId === c.id).map((l) => l.userId) }));
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

async function findCoupon(id: number): Promise<Coupon> {
  const coupon = await Coupon.findByPk(id);
  if (!coupon) throw notFound('Coupon');
  return coupon;
}

export async function getCoupon(id: number): Promise<CouponView> {
  return (await withUserIds([await findCoupon(id)]))[0];
}

async function assertUsersExist(userIds: number[]) {
  const unique = [...new Set(userIds)];
  const found = await User.count({ where: { id: unique }});
  if (found !== unique.length) throw badRequest('Unknown user in userIds', [{ path: 'userIds', message: 'every id must be an existing user' }]);
}

async function assertCodeFree(code: string, exceptId: number | null) {
  const taken = await Coupon.findOne({ where: { code, ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) }});
  if (taken) throw duplicate(`Coupon code ${code} already exists`, [{ path: 'code', message: 'already exists' }]);
}

async function setUsers(couponId: number, userIds: number[]) {
  await CouponUser.destroy({ where: { couponId }});
  await CouponUser.bulkCreate([...new Set(userIds)].map((userId) => ({ couponId, userId })));
}

export async function createCoupon(input: CreateCouponInput, actor: Actor): Promise<CouponView> {
  const { userIds = [], ...fields } = input;
  return transaction(async () => {
    await assertCodeFree(fields.code, null);
    await assertUsersExist(userIds);
    const coupon = await Coupon.create(fields);
    await setUsers(coupon.id, userIds);
    await recordAudit({ userId: actor.id, action: 'coupon.create', entityType: 'coupon', entityId: coupon.id, changes: { ...fields, userIds }, ip: actor.ip });
    return (await withUserIds([coupon]))[0];
  });
}

export async function updateCoupon(id: number, input: UpdateCouponInput, actor: Actor): Promise<CouponView> {
  const { userIds, ...fields } = input;
  return transaction(async () => {
    const coupon = await findCoupon(id);
    const [before] = await withUserIds([coupon]);
    const validFrom = fields.validFrom === undefined ? coupon.validFrom : fields.validFrom;
    const validTo = fields.validTo === undefined ? coupon.validTo : fields.validTo;
    if (validFrom && validTo && validTo.getTime() <= validFrom.getTime()) {
      throw badRequest('validTo must be after validFrom', [{ path: 'validTo', message: 'must be after validFrom' }]);
    }
    if (fields.code) await assertCodeFree(fields.code, id);
    if (userIds) {
      await assertUsersExist(userIds);
      await setUsers(id, userIds);
    }
    await coupon.update(fields);
    const changes = changedFields(before, { ...fields, ...(userIds ? { userIds: [...new Set(userIds)].sort((a, b) => a - b) } : {}) });
    await recordAudit({ userId: actor.id, action: 'coupon.update', entityType: 'coupon', entityId: id, changes, ip: actor.ip });
    return (await withUserIds([coupon]))[0];
  });
}

/** Orders keep their coupon code as text, so deleting a coupon never changes past orders. */
export async function deleteCoupon(id: number, actor: Actor): Promise<void> {
  await transaction(async () => {
    const coupon = await findCoupon(id);
    await recordAudit({ userId: actor.id, action: 'coupon.delete', entityType: 'coupon', entityId: id, changes: { code: coupon.code }, ip: actor.ip });
    await CouponUser.destroy({ where: { couponId: id }});
    await coupon.destroy();
  });
}

/**
 * Finds the coupon and tells why it does not apply to this user now (400 with
 * the reason), or returns it. Orders call it again inside their transaction.
 */
export async function applicableCoupon(rawCode: string, user: UserActor, now: Date): Promise<Coupon> {
  const code = rawCode.trim().toUpperCase();
  const coupon = await Coupon.findOne({ where: { code }});
  const refuse = (why: string) => badRequest(`Coupon ${code} cannot be used: ${why}`, [{ path: 'couponCode', message: why }]);
  if (!coupon) throw badRequest(`Unknown coupon code ${code}`, [{ path: 'couponCode', message: 'unknown code' }]);
  if (!coupon.active) throw refuse('it is not active');
  if (coupon.validFrom && coupon.validFrom.getTime() > now.getTime()) throw refuse(`it is valid from ${coupon.validFrom.toISOString()}`);
  if (coupon.validTo && coupon.validTo.getTime() < now.getTime()) throw refuse(`it expired on ${coupon.validTo.toISOString()}`);
  if (coupon.targetRole !== 'all' && coupon.targetRole !== user.role) throw refuse(`it is for ${coupon.targetRole} accounts only`);
  const assigned = await CouponUser.findAll({ where: { couponId: coupon.id }, attributes: ['userId'] });
  if (assigned.length && !assigned.some((a) => a.userId === user.id)) throw refuse('it is not assigned to you');
  if (coupon.usageLimit !== null && coupon.usedCount >= coupon.usageLimit) throw refuse('its usage limit has been reached');
  return coupon;
}

export async function validateCoupon(code: string, user: UserActor): Promise<CouponCheck> {
  const coupon = await applicableCoupon(code, user, clockNow());
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
export async function consumeCouponUse(coupon: Coupon): Promise<void> {
  const [updated] = await Coupon.update(
    { usedCount: literal('used_count + 1') as unknown as number },
    { where: { id: coupon.id, [Op.or]: [{ usageLimit: null }, { usedCount: { [Op.lt]: col('usage_limit') } }] }},
  );
  if (updated !== 1) {
    throw badRequest(`Coupon ${coupon.code} cannot be used: its usage limit has been reached`, [{ path: 'couponCode', message: 'its usage limit has been reached' }]);
  }
}

/** A cancelled order gives its coupon use back. */
export async function releaseCouponUse(couponId: number): Promise<void> {
  await Coupon.update(
    { usedCount: literal('used_count - 1') as unknown as number },
    { where: { id: couponId, usedCount: { [Op.gt]: 0 } }},
  );
}
