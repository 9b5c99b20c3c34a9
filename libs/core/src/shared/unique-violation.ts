import { UniqueConstraintViolationException } from '@mikro-orm/core';

/** Driver codes of a unique-key violation: PostgreSQL's SQLSTATE, better-sqlite3's extended codes. */
const UNIQUE_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** A unique-key violation, as MikroORM reports it or straight from the driver (raw statements such as insertRows). */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof UniqueConstraintViolationException) return true;
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return typeof error.code === 'string' && UNIQUE_CODES.has(error.code);
}
