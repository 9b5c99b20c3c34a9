import { EntityManager } from '@mikro-orm/knex';
import type { Knex } from '@mikro-orm/knex';
import { DatabaseDriverName } from '@sc/database';

/**
 * Raw SQL for the hot path, through the entity manager's knex and its current transaction.
 * Values are bound by the driver (not formatted into the text), so a batch of thousands of
 * values costs one statement; dates bind as timestamptz on PostgreSQL and as epoch
 * milliseconds on SQLite (MikroORM's own storage of `datetime` there), booleans as 0/1.
 */

export type Dialect = DatabaseDriverName;

/** A bound value; a string array only on PostgreSQL (it binds as an array: `= any(?::uuid[])`). */
export type Binding = string | number | boolean | Date | null | readonly string[];

function raw(em: EntityManager, sql: string, bindings: readonly Binding[]): Knex.Raw {
  const query = em.getKnex().raw(sql, bindings as Knex.RawBinding[]);
  const trx = em.getTransactionContext<Knex.Transaction>();
  return trx ? query.transacting(trx) : query;
}

/** Rows of a select or of `... returning`. */
export async function queryRows<T>(em: EntityManager, sql: string, bindings: readonly Binding[] = []): Promise<T[]> {
  const result: unknown = await raw(em, sql, bindings);
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown } | undefined)?.rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}

/** Affected row count of an insert, update or delete without `returning`. */
export async function execute(em: EntityManager, sql: string, bindings: readonly Binding[] = []): Promise<number> {
  const result = (await raw(em, sql, bindings)) as { rowCount?: number | null; changes?: number } | undefined;
  return result?.rowCount ?? result?.changes ?? 0;
}

/** `?, ?, ?` for n values. */
export function placeholders(n: number, each = '?'): string {
  return Array.from({ length: n }, () => each).join(', ');
}

/** Splits rows so no statement exceeds the drivers' bound-parameter limits (SQLite 32766, PostgreSQL 65535). */
export function chunks<T>(items: readonly T[], columns: number, maxParams = 30_000): T[][] {
  const size = Math.max(1, Math.floor(maxParams / columns));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Dates read back: timestamptz arrives as Date (pg), datetime as epoch ms (SQLite). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') return /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  throw new TypeError(`not a date: ${String(value)}`);
}

/** Booleans read back: boolean (pg), 0/1 (SQLite), null when unset. */
export function toBoolean(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  return value === true || value === 1 || value === '1' || value === 't';
}
