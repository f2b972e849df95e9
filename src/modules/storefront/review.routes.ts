import { ApiRouter } from '../../http/route.js';
import { idParams } from '../../shared/schemas.js';
import { createReviewBody, ReviewListSchema, reviewListQuery, ReviewSchema, updateReviewBody } from './review.schemas.js';
import { createReview, deleteReview, listReviews, updateReview } from './review.service.js';

export const reviewRoutes = new ApiRouter('/reviews', 'Reviews')
  .get(
    '/',
    { operationId: 'listReviews', summary: 'Reviews (filter productId, userId) with the average rating and count of all matching reviews', access: 'public', query: reviewListQuery, response: ReviewListSchema, errors: [404] },
    ({ query }) => listReviews(query),
  )
  .post(
    '/',
    {
      operationId: 'createReview',
      summary: 'Review a product (rating 1-5): once per product, only after a delivered order containing it',
      description: 'Requires the `shop` right. 403 before a delivered order of the product; 409 DUPLICATE for a second review.',
      access: 'shop',
      body: createReviewBody,
      status: 201,
      response: ReviewSchema,
      errors: [404, 409],
    },
    ({ body, actor }) => createReview(body, actor),
  )
  .put(
    '/:id',
    { operationId: 'updateReview', summary: 'Edit your own review', access: 'shop', params: idParams, body: updateReviewBody, response: ReviewSchema, errors: [403] },
    ({ params, body, actor }) => updateReview(params.id, body, actor),
  )
  .delete(
    '/:id',
    { operationId: 'deleteReview', summary: 'Delete a review: its author, or an administrator (moderation)', access: 'authenticated', params: idParams, errors: [403] },
    async ({ params, actor }) => {
      await deleteReview(params.id, actor);
    },
  );
