/** One page of a list, with the total matching rows so a client can page. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

export function pageWindow(query: PageQuery): { limit: number; offset: number } {
  const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE_LIMIT, 1), MAX_PAGE_LIMIT);
  const offset = Math.max(query.offset ?? 0, 0);
  return { limit, offset };
}

/** A case-insensitive "contains" pattern; a stray % or _ only widens the match. */
export function containsPattern(q: string): string {
  return `%${q.trim().toLowerCase()}%`;
}
