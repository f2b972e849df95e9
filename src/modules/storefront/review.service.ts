import { fn, col, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import { duplicate, forbidden, notFound } from '../../shared/errors.js';
import { can } from '../../shared/rights.js';
import type { UserActor } from '../../shared/actor.js';
import { offsetOf, orderFrom } from '../../shared/page.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { User } from '../users/user.model.js';
import { findActiveProduct } from './catalog.service.js';
import { toSummary, type RatingSummary } from './rating.service.js';
import { Order, OrderItem, Review } from './storefront.models.js';
import type { CreateReviewInput, ReviewListQuery, ReviewView, UpdateReviewInput } from './review.schemas.js';

function view(review: Review): ReviewView {
  const user = (review as Review & { user?: User }).user;
  return {
    id: review.id,
    productId: review.productId,
    userId: review.userId,
    userName: user?.name ?? 'Former customer',
    rating: review.rating,
    comment: review.comment ?? null,
    createdAt: review.createdAt.toISOString(),
    updatedAt: review.updatedAt.toISOString(),
  };
}

const WITH_USER = { include: [{ model: User, as: 'user', attributes: ['id', 'name'] }] };

export async function listReviews(query: ReviewListQuery): Promise<{ data: ReviewView[]; page: number; limit: number; total: number } & RatingSummary> {
  const where: WhereOptions<Review> = {};
  if (query.productId) {
    await findActiveProduct(query.productId);
    Object.assign(where, { productId: query.productId });
  }
  if (query.userId) Object.assign(where, { userId: query.userId });
  const [rows, summary] = await Promise.all([
    Review.findAll({ where, ...WITH_USER, order: [orderFrom(query.sort, '-createdAt'), ['id', 'DESC']], limit: query.limit, offset: offsetOf(query) }),
    Review.findOne({ where, attributes: [[fn('AVG', col('rating')), 'average'], [fn('COUNT', col('id')), 'count']], raw: true }) as unknown as Promise<{ average: string | number | null; count: string | number }>,
  ]);
  const { average, count } = toSummary(summary.average, summary.count);
  return { data: rows.map(view), page: query.page, limit: query.limit, total: count, average, count };
}

/** A review needs a delivered order of the product by the same shopper. */
async function hasDeliveredOrderOf(userId: number, productId: number): Promise<boolean> {
  const found = await OrderItem.findOne({
    where: { productId },
    include: [{ model: Order, as: 'order', where: { userId, status: 'delivered' }, attributes: [] }],
    attributes: ['id'],
  });
  return found !== null;
}

export async function createReview(input: CreateReviewInput, actor: UserActor): Promise<ReviewView> {
  const product = await findActiveProduct(input.productId);
  if (!(await hasDeliveredOrderOf(actor.id, product.id))) {
    throw forbidden(`You can review '${product.name}' once an order containing it has been delivered to you`);
  }
  const id = await transaction(async () => {
    if (await Review.findOne({ where: { userId: actor.id, productId: product.id }})) {
      throw duplicate(`You have already reviewed '${product.name}'; edit your review instead`, [{ path: 'productId', message: 'already reviewed' }]);
    }
    const review = await Review.create({ userId: actor.id, productId: product.id, rating: input.rating, comment: input.comment ?? null });
    await recordAudit({ userId: actor.id, action: 'review.create', entityType: 'review', entityId: review.id, changes: { productId: product.id, rating: input.rating }, ip: actor.ip });
    return review.id;
  });
  return getReview(id);
}

async function getReview(id: number): Promise<ReviewView> {
  const review = await Review.findByPk(id, WITH_USER);
  if (!review) throw notFound('Review');
  return view(review);
}

export async function updateReview(id: number, input: UpdateReviewInput, actor: UserActor): Promise<ReviewView> {
  await transaction(async () => {
    const review = await Review.findByPk(id);
    if (!review) throw notFound('Review');
    if (review.userId !== actor.id) throw forbidden('You can only edit your own review');
    const before = review.get({ plain: true });
    await review.update(input);
    await recordAudit({ userId: actor.id, action: 'review.update', entityType: 'review', entityId: id, changes: changedFields(before, input), ip: actor.ip });
  });
  return getReview(id);
}

/** The author, or a moderator (API.md: own, or admin). */
export async function deleteReview(id: number, actor: UserActor): Promise<void> {
  await transaction(async () => {
    const review = await Review.findByPk(id);
    if (!review) throw notFound('Review');
    if (review.userId !== actor.id && !can(actor.role, 'reviews:moderate')) throw forbidden('You can only delete your own review');
    await recordAudit(
      { userId: actor.id, action: 'review.delete', entityType: 'review', entityId: id, changes: { productId: review.productId, userId: review.userId, rating: review.rating }, ip: actor.ip }
    );
    await review.destroy();
  });
}
