import { EntityManager } from '@mikro-orm/knex';
import type { Knex } from '@mikro-orm/knex';
import { DatabaseDriverName } from '@sc/database';

/**
 * Raw SQL for the hot path, in the entity manager's current transaction. Values are bound by
 * the driver (not formatted into the text), so a batch of thousands of values costs one
 * statement; dates bind as timestamptz on PostgreSQL and as epoch milliseconds on SQLite
 * (MikroORM's own storage of `datetime` there), booleans as 0/1.
 *
 * On PostgreSQL the statement goes straight to the `pg` connection that knex holds for the
 * transaction (or one borrowed from its pool), with the `?` placeholders numbered once per
 * statement text, skipping knex's raw query object, binding rewrite and transaction client
 * queue (bench:sql: 0.76-0.83 of knex's CPU per statement in a transaction). SQLite keeps knex.
 * Statements sent this way are not in MikroORM's debug log.
 */

export type Dialect = DatabaseDriverName;

/** A bound value; a string array only on PostgreSQL (it binds as an array: `= any(?::uuid[])`). */
export type Binding = string | number | boolean | Date | null | readonly string[];

/** What the statements need of a `pg` client. */
interface PgConnection {
  query(text: string, values: readonly Binding[]): Promise<PgResult | PgResult[]>;
}

interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}

/** The part of knex's client the direct path uses: its pool. */
interface KnexClient {
  dialect?: string;
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

interface DriverResult {
  rows: unknown[];
  count: number;
}

async function run(em: EntityManager, sql: string, bindings: readonly Binding[]): Promise<DriverResult> {
  const knex = em.getKnex();
  const trx = em.getTransactionContext<Knex.Transaction>();
  if (dialectOf(em) !== 'postgresql') {
    const query = knex.raw(sql, bindings as Knex.RawBinding[]);
    const result: unknown = await (trx ? query.transacting(trx) : query);
    if (Array.isArray(result)) return { rows: result, count: result.length };
    const { changes } = (result ?? {}) as { changes?: number };
    return { rows: [], count: changes ?? 0 };
  }
  const text = numbered(sql);
  if (trx) {
    // The transaction's own connection; never after its commit (it is back in the pool by then).
    if (trx.isCompleted()) throw new Error('the transaction has already completed; the statement was not sent');
    const connection = (await (trx.client as KnexClient).acquireConnection()) as PgConnection;
    return fromPg(await connection.query(text, bindings));
  }
  const client = knex.client as KnexClient;
  const connection = (await client.acquireConnection()) as PgConnection;
  try {
    return fromPg(await connection.query(text, bindings));
  } finally {
    await client.releaseConnection(connection);
  }
}

/** Several statements in one text (no bindings) answer with one result each: the last one's rows, every one's count. */
function fromPg(result: PgResult | PgResult[]): DriverResult {
  const results = Array.isArray(result) ? result : [result];
  return { rows: results.at(-1)?.rows ?? [], count: results.reduce((sum, r) => sum + (r.rowCount ?? 0), 0) };
}

/** The dialect of the database behind `em`. */
export function dialectOf(em: EntityManager): Dialect {
  return (em.getKnex().client as KnexClient).dialect === 'postgresql' ? 'postgresql' : 'sqlite';
}

const NUMBERED = new Map<string, string>();
/** Bounds the cache: the hot statements are a few dozen texts; generated ones (placeholders(n)) vary. */
const NUMBERED_MAX = 500;

/**
 * `?` → `$1`, `$2`, … as knex numbers them (every `?` is a binding; `\\?` is a literal `?`).
 * Cached per text: the hot statements are the same text every batch.
 */
export function numbered(sql: string): string {
  const cached = NUMBERED.get(sql);
  if (cached !== undefined) return cached;
  let n = 0;
  const text = sql.replace(/\\\?|\?/g, (match) => (match === '?' ? `$${++n}` : '?'));
  if (NUMBERED.size >= NUMBERED_MAX) NUMBERED.clear();
  NUMBERED.set(sql, text);
  return text;
}

/** Rows of a select or of `... returning`. */
export async function queryRows<T>(em: EntityManager, sql: string, bindings: readonly Binding[] = []): Promise<T[]> {
  return (await run(em, sql, bindings)).rows as T[];
}

/** Affected row count of an insert, update or delete without `returning`. */
export async function execute(em: EntityManager, sql: string, bindings: readonly Binding[] = []): Promise<number> {
  return (await run(em, sql, bindings)).count;
}

/**
 * A statement to send later, together with others (runTogether, PlannedWrites). `returning`: it
 * answers with rows (an insert ... returning, an update ... returning).
 */
export interface Statement {
  sql: string;
  bindings: readonly Binding[];
  returning?: boolean;
}

/** A row that runTogether read back: on PostgreSQL, from JSON when several statements went as one. */
export type LooseRow = Record<string, unknown>;

/**
 * Runs `statements` in the entity manager's current transaction and answers each one's rows
 * (empty for a statement without `returning`). On PostgreSQL several statements go as ONE
 * statement of data-modifying CTEs, one round trip instead of one each: under load every round
 * trip waits for the database's process and then this one to be scheduled again, which is most
 * of a transaction's time. The statements must be inserts, updates or deletes that do not read
 * each other's effects (they all see the snapshot taken when the statement starts; a later one
 * may name an earlier one's `returning` rows by its CTE name, s0, s1, …), and their rows come
 * back through JSON: read values loosely (String, Number, toDate). On SQLite they run one after
 * another. Foreign keys are checked at the end of the statement, so a row may reference one
 * inserted by another statement of the same call.
 */
export async function runTogether(em: EntityManager, dialect: Dialect, statements: readonly Statement[]): Promise<LooseRow[][]> {
  if (dialect !== 'postgresql' || statements.length === 1) {
    const out: LooseRow[][] = [];
    for (const statement of statements) {
      const rows = await queryRows<LooseRow>(em, statement.sql, statement.bindings);
      out.push(statement.returning ? rows : []);
    }
    return out;
  }
  if (statements.length === 0) return [];
  const ctes = statements.map((s, i) => `s${i} as (${s.sql})`).join(', ');
  // Each answering statement's rows as one JSON array: one value to parse per statement, not per row.
  const answering = statements.flatMap((s, i) => (s.returning ? [`select ${i} as i, (select coalesce(json_agg(s${i}), '[]'::json) from s${i}) as r`] : []));
  const select = answering.length > 0 ? answering.join(' union all ') : 'select null::integer as i, null::json as r where false';
  const rows = await queryRows<{ i: number; r: LooseRow[] }>(em, `with ${ctes} ${select}`, statements.flatMap((s) => s.bindings));
  const out: LooseRow[][] = statements.map(() => []);
  for (const row of rows) out[row.i] = row.r;
  return out;
}

/**
 * `column = any(?::type[])` with one array binding on PostgreSQL (the same text whatever the
 * length, so the statement's numbering is cached once), `column in (?, ?, …)` on SQLite.
 * Give at least one value.
 */
export function inList(dialect: Dialect, column: string, values: readonly string[], type: 'uuid' | 'bigint' | 'text'): { sql: string; bindings: Binding[] } {
  if (values.length === 0) throw new RangeError(`inList(${column}): no values`);
  return dialect === 'postgresql'
    ? { sql: `${column} = any(?::${type}[])`, bindings: [values] }
    : { sql: `${column} in (${placeholders(values.length)})`, bindings: [...values] };
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
