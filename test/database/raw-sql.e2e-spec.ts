import { EntityManager } from '@mikro-orm/knex';
import { dialectOf, execute, inList, numbered, queryRows, runTogether } from '@sc/core/telemetry/sql';
import { Column, insertStatements } from '@sc/core/shared/insert-rows';
import { PlannedWrites } from '@sc/core/shared/planned-writes';
import { newId } from '@sc/core/shared/ids';
import { isUniqueViolation } from '@sc/core/shared/unique-violation';
import { testDriver } from '@sc/testing';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The hot path's raw statements (queryRows / execute): on PostgreSQL they go straight to the
 * `pg` connection knex holds for the transaction, so they must be in that transaction (seen by
 * it, gone with its rollback) and must not touch another one's connection.
 */
describe('raw SQL on the hot path', () => {
  let t: TestApp;
  let em: EntityManager;

  beforeAll(async () => {
    t = await createTestApp();
    em = t.app.get(EntityManager).fork();
  });
  afterAll(() => t.close());

  /** The outbox row's intent name, as each dialect reads JSON. */
  const intentName = (em: EntityManager) => (dialectOf(em) === 'postgresql' ? "intent->>'name'" : "json_extract(intent, '$.name')");

  const seqsOf = async (em: EntityManager, intent: string) =>
    (await queryRows<{ seq: string | number }>(em, `select seq from outbox where ${intentName(em)} = ?`, [intent])).map((r) => String(r.seq));

  const insertIntent = (em: EntityManager, intent: string) =>
    execute(em, 'insert into outbox (intent, created_at, attempts) values (?, ?, 0)', [JSON.stringify({ name: intent }), new Date()]);

  it('runs inside the caller’s transaction: its rows are seen there, and a rollback takes them away', async () => {
    const intent = `raw-${newId()}`;
    await expect(
      em.fork().transactional(async (tx) => {
        expect(await insertIntent(tx, intent)).toBe(1);
        expect(await seqsOf(tx, intent)).toHaveLength(1);
        // Not committed: another connection does not see it (SQLite has one connection, held here).
        if (dialectOf(em) === 'postgresql') expect(await seqsOf(em.fork(), intent)).toEqual([]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await seqsOf(em.fork(), intent)).toEqual([]);
  });

  it('commits with the transaction, and binds lists of any length with inList', async () => {
    const intents = [`raw-${newId()}`, `raw-${newId()}`, `raw-${newId()}`];
    await em.fork().transactional(async (tx) => {
      for (const intent of intents) await insertIntent(tx, intent);
    });
    const seqs = (await Promise.all(intents.map((i) => seqsOf(em.fork(), i)))).flat();
    expect(seqs).toHaveLength(3);
    const two = inList(dialectOf(em), 'seq', seqs.slice(0, 2), 'bigint');
    expect(await execute(em.fork(), `delete from outbox where ${two.sql}`, two.bindings)).toBe(2);
    const all = inList(dialectOf(em), 'seq', seqs, 'bigint');
    expect(await queryRows(em.fork(), `select seq from outbox where ${all.sql}`, all.bindings)).toHaveLength(1);
    expect(await execute(em.fork(), `delete from outbox where ${all.sql}`, all.bindings)).toBe(1);
  });

  // SQLite statements go through knex, which has its own check.
  (testDriver() === 'postgresql' ? it : it.skip)('refuses a statement after its transaction completed instead of sending it on a pooled connection', async () => {
    let escaped: EntityManager | undefined;
    await em.fork().transactional(async (tx) => {
      escaped = tx;
    });
    await expect(queryRows(escaped!, 'select 1')).rejects.toThrow(/already completed/);
  });

  it('reports the database’s error with its code (a unique violation stays recognisable)', async () => {
    const intent = `raw-${newId()}`;
    await insertIntent(em.fork(), intent);
    const [seq] = await seqsOf(em.fork(), intent);
    const again = execute(em.fork(), 'insert into outbox (seq, intent, created_at, attempts) values (?, ?, ?, 0)', [seq, '{}', new Date()]);
    const error: unknown = await again.then(() => undefined, (e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    await execute(em.fork(), 'delete from outbox where seq = ?', [seq]);
  });

  describe('statements sent together (runTogether, PlannedWrites)', () => {
    const insertIntents = (names: readonly string[]) =>
      insertStatements(dialectOf(em), 'outbox', OUTBOX_COLUMNS, names, { returning: ['cast(seq as text) as seq'] });
    const OUTBOX_COLUMNS: Column<string>[] = [
      { name: 'intent', kind: 'json', value: (name) => ({ name }) },
      { name: 'created_at', kind: 'timestamptz', value: () => new Date() },
      { name: 'attempts', kind: 'integer', value: () => 0 },
    ];
    const countOf = async (em: EntityManager, names: readonly string[]) => {
      const where = inList(dialectOf(em), intentName(em), names, 'text');
      return (await queryRows(em, `select seq from outbox where ${where.sql}`, where.bindings)).length;
    };

    it('answers each statement’s rows in order, empty for one without returning, and commits them with the transaction', async () => {
      const [a, b, c] = [`together-${newId()}`, `together-${newId()}`, `together-${newId()}`];
      const results = await em.fork().transactional(async (tx) =>
        runTogether(tx, dialectOf(tx), [...insertIntents([a, b]), { sql: 'update outbox set attempts = attempts where 1 = 0', bindings: [] }, ...insertIntents([c])]),
      );
      expect(results.map((rows) => rows.length)).toEqual([2, 0, 1]);
      expect(results.flat().every((row) => /^\d+$/.test(String(row.seq)))).toBe(true);
      expect(await countOf(em.fork(), [a, b, c])).toBe(3);
    });

    it('rolls back with the transaction, and hands each PlannedWrites reader the rows of its own statements', async () => {
      const names = [`planned-${newId()}`, `planned-${newId()}`, `planned-${newId()}`];
      const seen: string[][] = [];
      await expect(
        em.fork().transactional(async (tx) => {
          const writes = new PlannedWrites();
          writes.add(insertIntents(names.slice(0, 2)), (rows) => seen.push(rows.map((r) => String(r.seq))));
          writes.add({ sql: 'delete from outbox where 1 = 0', bindings: [] });
          writes.add(insertIntents(names.slice(2)), (rows) => seen.push(rows.map((r) => String(r.seq))));
          expect(writes.size).toBe(3);
          await writes.run(tx, dialectOf(tx));
          expect(writes.size).toBe(0);
          expect(await countOf(tx, names)).toBe(3);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(seen.map((s) => s.length)).toEqual([2, 1]);
      expect(await countOf(em.fork(), names)).toBe(0);
    });

    it('fails as a whole when one statement fails: nothing of the others stays', async () => {
      const name = `failing-${newId()}`;
      const [seq] = (await runTogether(em.fork(), dialectOf(em), insertIntents([`seed-${name}`])))[0].map((r) => String(r.seq));
      const duplicate = { sql: 'insert into outbox (seq, intent, created_at, attempts) values (?, ?, ?, 0)', bindings: [seq, '{}', new Date()] };
      const error: unknown = await em
        .fork()
        .transactional((tx) => runTogether(tx, dialectOf(tx), [...insertIntents([name]), duplicate]))
        .then(() => undefined, (e: unknown) => e);
      expect(isUniqueViolation(error)).toBe(true);
      expect(await countOf(em.fork(), [name])).toBe(0);
    });
  });
});

describe('numbered placeholders', () => {
  it('numbers each ? in order and keeps an escaped one', () => {
    expect(numbered('select ? as a, ?::uuid[] as b where x = ?')).toBe('select $1 as a, $2::uuid[] as b where x = $3');
    expect(numbered('select data \\? ? from t')).toBe('select data ? $1 from t');
    expect(numbered('select 1')).toBe('select 1');
  });

  it('gives the same text for the same statement (cached)', () => {
    const sql = `select ? from t where id = any(?::uuid[]) -- ${newId()}`;
    expect(numbered(sql)).toBe(numbered(sql));
  });
});
