/** One page of a list, in the API's list shape. */
export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
}

/** `name` -> ['name', 'ASC'], `-price` -> ['price', 'DESC']. */
export function orderFrom(sort: string | undefined, fallback: string): [string, 'ASC' | 'DESC'] {
  const value = sort ?? fallback;
  return value.startsWith('-') ? [value.slice(1), 'DESC'] : [value, 'ASC'];
}

/** The row offset of a 1-based page. */
export function offsetOf(query: { page: number; limit: number }): number {
  return (query.page - 1) * query.limit;
}
