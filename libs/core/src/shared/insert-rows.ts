import { EntityClass, EntityProperty, ReferenceKind, wrap } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Binding, chunks, Dialect, placeholders, queryRows, Statement } from '../telemetry/sql';

/** How a column's value travels: as text cast to the column's type, or as JSON. */
export type ColumnKind = 'uuid' | 'text' | 'timestamptz' | 'integer' | 'bigint' | 'boolean' | 'json';

export interface Column<R> {
  name: string;
  kind: ColumnKind;
  /** A string, number, boolean, Date, null or undefined (null); for json columns any JSON value. */
  value: (row: R) => unknown;
}

/** Rows per statement on PostgreSQL (one parameter each, whatever the width). */
const ROWS_PER_DOCUMENT = 5_000;

/**
 * A multi-row insert with bound values for the hot paths (the routing batch, deliveries,
 * the outbox). MikroORM's insertMany formats every value into the SQL as a literal and knex
 * then scans that text again, which was most of the worker's insert CPU. On PostgreSQL the rows
 * travel as one jsonb document unpacked by jsonb_array_elements (the statement text is the same
 * for every batch), on SQLite as a VALUES list. Rows go in in the given order; `returning`
 * names columns to read back; `onConflict` is what follows ON CONFLICT (e.g. "(a, b) do nothing").
 */
export async function insertRows<R, T extends object = Record<string, unknown>>(
  em: EntityManager,
  dialect: Dialect,
  table: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
  options: InsertOptions = {},
): Promise<T[]> {
  const out: T[] = [];
  for (const statement of insertStatements(dialect, table, columns, rows, options)) out.push(...(await queryRows<T>(em, statement.sql, statement.bindings)));
  return out;
}

export interface InsertOptions {
  /** Columns to read back. */
  returning?: readonly string[];
  /** What follows ON CONFLICT, e.g. "(a, b) do nothing". */
  onConflict?: string;
  /**
   * PostgreSQL only: more of the FROM clause after the rows' document, given the expression of a
   * column's value in it; e.g. `(value) => \`join s0 on s0.id = ${value('subject_id')}\`` inserts
   * only the rows whose subject an earlier statement of the same runTogether answered.
   */
  join?: (value: (column: string) => string) => string;
}

/** insertRows as statements to send later (PlannedWrites, runTogether): one per part, none for no rows. */
export function insertStatements<R>(dialect: Dialect, table: string, columns: readonly Column<R>[], rows: readonly R[], options: InsertOptions = {}): Statement[] {
  const names = columns.map((c) => c.name).join(', ');
  const { returning = [], onConflict, join } = options;
  const tail = `${onConflict ? ` on conflict ${onConflict}` : ''}${returning.length > 0 ? ` returning ${returning.join(', ')}` : ''}`;
  const answers = returning.length > 0;
  if (dialect === 'postgresql') {
    const select = columns.map((c, i) => pgValue(c.kind, i)).join(', ');
    const value = (name: string): string => {
      const i = columns.findIndex((c) => c.name === name);
      if (i < 0) throw new Error(`insertStatements: ${table} has no column ${name}`);
      return pgValue(columns[i].kind, i);
    };
    const from = `jsonb_array_elements(?::jsonb) as e${join ? ` ${join(value)}` : ''}`;
    return chunks(rows, 1, ROWS_PER_DOCUMENT)
      .filter((part) => part.length > 0)
      .map((part) => ({
        sql: `insert into ${table} (${names}) select ${select} from ${from}${tail}`,
        bindings: [JSON.stringify(part.map((row) => columns.map((c) => c.value(row) ?? null)))],
        returning: answers,
      }));
  }
  if (join) throw new Error('insertStatements: join is for PostgreSQL only');
  return chunks(rows, columns.length)
    .filter((part) => part.length > 0)
    .map((part) => ({
      sql: `insert into ${table} (${names}) values ${part.map(() => `(${placeholders(columns.length)})`).join(', ')}${tail}`,
      bindings: part.flatMap((row) => columns.map((c) => sqliteValue(c, row))),
      returning: answers,
    }));
}

function pgValue(kind: ColumnKind, i: number): string {
  // A JSON null is SQL null in a nullable json column, as MikroORM writes it.
  if (kind === 'json') return `nullif(e->${i}, 'null'::jsonb)`;
  if (kind === 'text') return `e->>${i}`;
  return `(e->>${i})::${kind}`;
}

function sqliteValue<R>(column: Column<R>, row: R): Binding {
  const value = column.value(row);
  if (value === undefined || value === null) return null;
  if (column.kind === 'json') return JSON.stringify(value);
  if (value instanceof Date || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TypeError(`column ${column.name} is ${column.kind} but was given a ${typeof value}`);
}

/** The column kind of a property declared with one of the types this project uses ('json', or its mapped JsonType). */
function kindOfType(type: string): ColumnKind | undefined {
  switch (type.toLowerCase().replace(/type$/, '')) {
    case 'uuid':
      return 'uuid';
    case 'string':
    case 'text':
      return 'text';
    case 'datetime':
    case 'date':
      return 'timestamptz';
    case 'integer':
    case 'smallint':
    case 'number':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'boolean':
      return 'boolean';
    case 'json':
      return 'json';
    default:
      return undefined;
  }
}

/** A row of an entity by its property names: an instance, or plain data as em.insertMany takes it. */
type EntityRow<T> = { readonly [K in keyof T]?: unknown };

const entityColumns = new WeakMap<object, Column<EntityRow<object>>[]>();

/**
 * An entity's stored columns from its metadata: scalars, and many-to-one references by their
 * key. Auto-increment keys are left to the database.
 */
function columnsOf<T extends object>(em: EntityManager, entity: EntityClass<T>): Column<EntityRow<T>>[] {
  const known = entityColumns.get(entity);
  if (known) return known as Column<EntityRow<T>>[];
  const meta = em.getMetadata().get<T>(entity.name);
  const columns = meta.props.flatMap((prop: EntityProperty<T>): Column<EntityRow<T>>[] => {
    if (prop.persist === false || prop.formula || prop.autoincrement || prop.fieldNames?.length !== 1) return [];
    const name = prop.name as keyof T & string;
    if (prop.kind === ReferenceKind.MANY_TO_ONE) {
      return [{ name: prop.fieldNames[0], kind: 'uuid', value: (row) => referenceKey(row[name]) }];
    }
    if (prop.kind !== ReferenceKind.SCALAR) return [];
    const kind = kindOfType(String(prop.type));
    if (!kind) throw new TypeError(`${meta.className}.${name}: type ${String(prop.type)} has no column kind for insertEntities`);
    return [{ name: prop.fieldNames[0], kind, value: (row) => row[name] }];
  });
  entityColumns.set(entity, columns as Column<EntityRow<object>>[]);
  return columns;
}

/** A reference's key: an entity or reference, or the key itself (plain data). */
function referenceKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  const key = wrap(value as object, true).getPrimaryKey();
  if (typeof key !== 'string') throw new TypeError('insertEntities expects references with a single string key');
  return key;
}

/**
 * insertRows with the columns taken from the entity's metadata, for entity instances built
 * with `em.create(..., { persist: false })` (they stay unmanaged, as with em.insertMany) or plain
 * data by property names. Every stored column is written: give each one a value (null for none).
 */
export async function insertEntities<T extends object, R extends object = Record<string, unknown>>(
  em: EntityManager,
  dialect: Dialect,
  entity: EntityClass<T>,
  rows: readonly EntityRow<T>[],
  options: InsertOptions = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  return insertRows<EntityRow<T>, R>(em, dialect, em.getMetadata().get<T>(entity.name).tableName, columnsOf(em, entity), rows, options);
}

/** insertEntities as statements to send later (PlannedWrites). */
export function entityInsertStatements<T extends object>(
  em: EntityManager,
  dialect: Dialect,
  entity: EntityClass<T>,
  rows: readonly EntityRow<T>[],
  options: InsertOptions = {},
): Statement[] {
  if (rows.length === 0) return [];
  return insertStatements<EntityRow<T>>(dialect, em.getMetadata().get<T>(entity.name).tableName, columnsOf(em, entity), rows, options);
}
