import { z } from '../../shared/zod.js';
import { listQuery } from '../../shared/schemas.js';

const rating = z.number().int().min(1).max(5);
const comment = z.string().trim().max(2000).nullable().optional();

export const createReviewBody = z.object({ productId: z.number().int().positive(), rating, comment });
export type CreateReviewInput = z.infer<typeof createReviewBody>;

export const updateReviewBody = z
  .object({ rating: rating.optional(), comment })
  .refine((v) => Object.keys(v).length > 0, 'Nothing to update');
export type UpdateReviewInput = z.infer<typeof updateReviewBody>;

export const reviewListQuery = listQuery(['createdAt', 'rating']).extend({
  productId: z.coerce.number().int().positive().optional(),
  userId: z.coerce.number().int().positive().optional(),
});
export type ReviewListQuery = z.infer<typeof reviewListQuery>;

export const ReviewSchema = z
  .object({
    id: z.number(),
    productId: z.number(),
    userId: z.number(),
    userName: z.string().describe("The reviewer's name (never their email)"),
    rating: z.number(),
    comment: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Review');
export type ReviewView = z.infer<typeof ReviewSchema>;

export const ReviewListSchema = z
  .object({
    data: z.array(ReviewSchema),
    page: z.number(),
    limit: z.number(),
    total: z.number(),
    average: z.number().nullable().describe('Average rating of all matching reviews (null when none)'),
    count: z.number(),
  })
  .openapi('ReviewList');
