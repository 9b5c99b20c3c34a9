/**
 * bench:sql — CPU per statement of the hot path's raw SQL (queryRows / execute) inside a
 * transaction, on a scratch PostgreSQL database: the direct path (the transaction's `pg`
 * connection) against knex's raw path (what queryRows used before, the baseline, run in the
 * same process), with MikroORM's em.find and the bare driver for reference. The statement is
 * the delivery lookup the sender runs; each transaction runs `--statements` of them, so the
 * per-statement figures carry their share of the transaction's own cost, which is measured
 * apart (an empty transaction). Prints a table, then one JSON line.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import type { Knex } from '@mikro-orm/knex';
import { EntityManager } from '@mikro-orm/knex';
import { Client } from 'pg';
import { buildOrmOptions } from '@sc/database';
import { ALL_ENTITIES } from '@sc/core/entities';
import { Delivery } from '@sc/core/delivery/entities/delivery.entity';
import { queryRows } from '@sc/core/telemetry/sql';
import { ScratchDatabase } from './ingest/scratch-db';
import { printTable, progress, round } from './ingest/report';

const SQL = 'select id, status from deliveries where id = any(?::uuid[]) and status = ?';
const ID = '00000000-0000-4000-8000-000000000001';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

interface Figure {
  name: string;
  /** CPU of this process per statement, µs. */
  cpuUs: number;
  wallUs: number;
}

/** One transaction running `n` statements. */
type Path = (n: number) => Promise<unknown>;

/** `transactions` transactions of `statements` statements each; CPU and wall time per statement, after a warm-up. */
async function measure(name: string, transactions: number, statements: number, path: Path): Promise<Figure> {
  for (let i = 0; i < Math.min(200, transactions); i += 1) await path(statements);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < transactions; i += 1) await path(statements);
  const used = process.cpuUsage(cpu);
  const n = transactions * statements;
  return { name, cpuUs: (used.user + used.system) / n, wallUs: ((performance.now() - started) * 1000) / n };
}

async function main(): Promise<void> {
  const transactions = option('--transactions', 400);
  const statements = option('--statements', 10);
  const db = await ScratchDatabase.create();
  const orm = await MikroORM.init(buildOrmOptions({ url: db.url, dataDir: db.dataDir, poolMax: 2 }, ALL_ENTITIES));
  const pg = new Client({ connectionString: db.url });
  try {
    progress(`scratch database ${db.name}: migrating`);
    await orm.getMigrator().up();
    await pg.connect();
    const em = orm.em.fork() as unknown as EntityManager;
    const bindings = [[ID], 'pending'];
    progress(`${transactions} transactions × ${statements} statements per path`);
    const inOrm =
      (statement: (tx: EntityManager) => Promise<unknown>): Path =>
      (n) =>
        em.fork().transactional(async (tx) => {
          for (let i = 0; i < n; i += 1) await statement(tx);
        });
    const knexRaw = inOrm((tx) => tx.getKnex().raw(SQL, bindings as Knex.RawBinding[]).transacting(tx.getTransactionContext<Knex.Transaction>()!));
    const direct = inOrm((tx) => queryRows(tx, SQL, bindings as never));
    const ormFind = inOrm((tx) => tx.find(Delivery, { id: { $in: [ID] }, status: 'pending' }, { fields: ['id', 'status'] }));
    const barePg: Path = async (n) => {
      await pg.query('begin');
      for (let i = 0; i < n; i += 1) await pg.query('select id, status from deliveries where id = any($1::uuid[]) and status = $2', bindings);
      await pg.query('commit');
    };
    // Baseline and direct alternate twice, so a machine that slows down mid-run shows as a spread, not as a gain.
    const base1 = await measure('knex raw in the transaction (baseline: queryRows before)', transactions, statements, knexRaw);
    const direct1 = await measure('queryRows: the transaction’s pg connection', transactions, statements, direct);
    const base2 = await measure('knex raw in the transaction (baseline), again', transactions, statements, knexRaw);
    const direct2 = await measure('queryRows, again', transactions, statements, direct);
    // The fixed cost the statements above share: a transaction with nothing in it, per transaction.
    const emptyOrm = await measure('MikroORM em.transactional with no statement (per transaction)', transactions, 1, (n) => inOrm(async () => undefined)(n));
    const emptyPg = await measure('bare pg client, begin; commit (per transaction)', transactions, 1, async () => {
      await pg.query('begin');
      await pg.query('commit');
    });
    const figures: Figure[] = [
      base1,
      direct1,
      base2,
      direct2,
      await measure('MikroORM em.find (fields id, status), for reference', transactions, statements, ormFind),
      await measure('bare pg client, begin … commit (the floor)', transactions, statements, barePg),
      emptyOrm,
      emptyPg,
    ];
    const baseCpu = (base1.cpuUs + base2.cpuUs) / 2;
    const directCpu = (direct1.cpuUs + direct2.cpuUs) / 2;
    printTable('bench:sql — CPU of this process per statement inside a transaction (PostgreSQL)', [
      ...figures.map((f): [string, string] => [f.name, `${round(f.cpuUs)} µs CPU, ${round(f.wallUs)} µs wall`]),
      ['direct / knex raw (CPU per statement)', `${round(directCpu / baseCpu, 2)}`],
    ]);
    process.stdout.write(`${JSON.stringify({ knex_raw_cpu_us: round(baseCpu), direct_cpu_us: round(directCpu), ratio: round(directCpu / baseCpu, 2), statements_per_transaction: statements })}\n`);
  } finally {
    await pg.end().catch(() => undefined);
    await orm.close();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
