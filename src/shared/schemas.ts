import { z } from './zod.js';

/** `:id` path parameter. */
export const idParams = z.object({ id: z.coerce.number().int().positive() });

/** `true`/`false` in a query string. */
export const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

/** The list conventions of API.md: page, limit, sort (`field` or `-field`), search. */
export function listQuery<F extends string>(sortFields: readonly [F, ...F[]]) {
  const values = sortFields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
  return z.object({
    ...pageQuery,
    sort: z
      .enum(values, { error: () => `Unknown sort field; use one of ${sortFields.join(', ')} (prefix - for descending)` })
      .optional(),
    search: z.string().trim().max(100).optional(),
  });
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), page: z.number(), limit: z.number(), total: z.number() });
}

export const money = z.coerce
  .number()
  .min(0)
  .max(9_999_999_999.99)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'must have at most two decimals');
