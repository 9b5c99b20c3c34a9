import type { EntityManager } from '@mikro-orm/knex';

/** The part of a node-postgres client a LISTEN needs (knex hands the raw connection over untyped). */
export interface ListenConnection {
  query<R = Record<string, unknown>>(sql: string): Promise<{ rows: R[] }>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
  end(): Promise<void>;
}

/**
 * PostgreSQL: a connection of its own with the ORM's settings, outside the pool (it keeps
 * listening for as long as its owner wants). Bounded: one that connects after `withinMs` is
 * closed and the promise has already rejected.
 */
export function openListenConnection(em: EntityManager, withinMs: number): Promise<ListenConnection> {
  const pending = em.fork().getKnex().client.acquireRawConnection() as Promise<ListenConnection>;
  return new Promise<ListenConnection>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new Error(`could not open a listening connection within ${withinMs} ms`));
    }, withinMs);
    pending.then(
      (connection) => {
        clearTimeout(timer);
        if (settled) void connection.end().catch(() => undefined);
        else resolve(connection);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!settled) reject(error);
      },
    );
  });
}
