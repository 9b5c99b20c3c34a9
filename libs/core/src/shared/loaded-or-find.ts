import { EntityClass, Primary, wrap } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';

/**
 * Entities by id, taken from the entity manager's identity map when they are loaded there
 * already (a batch that read them a step earlier), and read with `read` (one query) otherwise.
 */
export async function loadedOrFind<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  ids: Iterable<string>,
  read: (missing: string[]) => Promise<T[]>,
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const loaded = em.getUnitOfWork().getById<T>(entity.name, id as Primary<T>);
    if (loaded && wrap(loaded).isInitialized()) found.set(id, loaded);
    else missing.push(id);
  }
  if (missing.length > 0) for (const row of await read(missing)) found.set(row.id, row);
  return found;
}
