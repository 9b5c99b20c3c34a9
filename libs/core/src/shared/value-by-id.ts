import { EntityClass, EntityKey, raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';

/**
 * A column's new value per row in one UPDATE: `CASE id WHEN ? THEN ? … ELSE <column> END`. The
 * ELSE names the column so that PostgreSQL types the CASE by it (uuid, timestamptz) rather than
 * as text. Raw parameters skip the ORM's conversions, so dates go through the platform's (SQLite
 * stores them as epoch milliseconds). Typed as the property's value for `update()`.
 */
export function valueById<T extends object, V>(em: EntityManager, entity: EntityClass<T>, property: keyof T & string, values: readonly (readonly [string, V])[]): V {
  const meta = em.getMetadata(entity);
  const platform = em.getPlatform();
  const column = (name: string) => meta.properties[name as EntityKey<T>].fieldNames[0];
  const params = values.flatMap(([id, value]) => [id, value instanceof Date ? platform.processDateProperty(value) : value]);
  return raw(`case ${column('id')} ${values.map(() => 'when ? then ?').join(' ')} else ${column(property)} end`, params);
}
