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

/** The filter of the rows after `after` in id order: nothing for the first page. */
export type AfterId = { id: { $gt: string } } | Record<string, never>;

/**
 * A pass over every row a query finds, however many there are, a page at a time in id order:
 * `page(after)` reads the rows after the previous page's last id (spread `after` into its
 * filter, order by id), `each` takes each page in turn.
 */
export async function forEachIdPage<T extends { id: string }>(page: (after: AfterId) => Promise<T[]>, each: (rows: T[]) => Promise<void>): Promise<void> {
  let after: AfterId = {};
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) return;
    await each(rows);
    after = { id: { $gt: rows[rows.length - 1].id } };
  }
}
