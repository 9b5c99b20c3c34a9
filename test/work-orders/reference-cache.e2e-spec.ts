import { Client } from 'pg';
import { testDriver } from '@sc/testing';
import { waitFor } from '@sc/testing/wait';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { REFERENCE_TABLES, ReferenceCache } from '@sc/core/shared/reference-cache';
import { createTestApp, TestApp } from '../support/test-app';
import { suffix, WorkOrderWorld } from './work-order-world';

const onPostgres = testDriver() === 'postgresql';

describe('the reference cache', () => {
  let t: TestApp;
  let w: WorkOrderWorld;
  let cache: ReferenceCache;
  /** Another connection: what another process (the API, an operator's SQL) changes. */
  let other: Client | undefined;

  beforeAll(async () => {
    t = await createTestApp();
    w = new WorkOrderWorld(t);
    cache = t.app.get(ReferenceCache);
    if (onPostgres) {
      other = new Client({ connectionString: t.db.env.DATABASE_URL });
      await other.connect();
    }
  });
  afterAll(async () => {
    await other?.end();
    await t.close();
  });

  /** A loader that counts its calls and answers every key with its call number. */
  function countingLoader(): { calls: () => number; load: (keys: string[]) => Promise<Map<string, number>> } {
    let calls = 0;
    return {
      calls: () => calls,
      load: async (keys) => {
        calls += 1;
        return new Map(keys.map((key) => [key, calls]));
      },
    };
  }

  const live = () => waitFor('the reference cache to listen', async () => (cache.caching ? true : undefined), { withinMs: 10_000 });

  (onPostgres ? it.skip : it)('never keeps anything on SQLite (nobody would tell it about changes)', async () => {
    const loader = countingLoader();
    await cache.get('org_unit', ['a'], loader.load);
    await cache.get('org_unit', ['a'], loader.load);
    expect(loader.calls()).toBe(2);
    expect(cache.caching).toBe(false);
  });

  (onPostgres ? it : it.skip)('has a NOTIFY trigger on exactly the tables it caches', async () => {
    const { rows } = await other!.query<{ table: string }>(
      `select c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.tgname like '%_reference_notify' order by 1`,
    );
    expect(rows.map((r) => r.table)).toEqual([...REFERENCE_TABLES].sort());
  });

  (onPostgres ? it : it.skip)('keeps what it read, and reads again once another connection changed a reference table', async () => {
    await cache.get('org_unit', ['warm-up'], async () => new Map());
    await live();
    const loader = countingLoader();
    const key = `k-${suffix()}`;
    expect(await cache.get('org_unit', [key], loader.load)).toEqual(new Map([[key, 1]]));
    expect(await cache.get('org_unit', [key], loader.load)).toEqual(new Map([[key, 1]]));
    expect(loader.calls()).toBe(1);

    await other!.query(`update sla_policies set level_factor = level_factor where false`);
    await waitFor('the change to be heard', async () => (cache.has('org_unit', key) ? undefined : true), { withinMs: 5000 });
    expect(await cache.get('org_unit', [key], loader.load)).toEqual(new Map([[key, 2]]));
  });

  (onPostgres ? it : it.skip)('does not keep a read that was under way when a change was heard', async () => {
    await live();
    const key = `k-${suffix()}`;
    let calls = 0;
    const load = async (keys: string[]) => {
      calls += 1;
      if (calls === 1) cache.invalidate();
      return new Map(keys.map((k) => [k, calls]));
    };
    expect((await cache.get('compound', [key], load)).get(key)).toBe(1);
    expect((await cache.get('compound', [key], load)).get(key)).toBe(2);
    expect((await cache.get('compound', [key], load)).get(key)).toBe(2);
  });

  (onPostgres ? it : it.skip)('keeps nothing between this process flushing a reference change and hearing its commit', async () => {
    await live();
    const em = t.em();
    await em.transactional(async (tx) => {
      tx.create(PropertyCompany, { code: `PC-${suffix()}`, name: '新物业' });
      await tx.flush();
      expect(cache.caching).toBe(false);
    });
    await live();
  });

  (onPostgres ? it : it.skip)('routes the same from cached data as from the database: the compound with its property company, the community, the grid worker', async () => {
    const chain = await t.factories.newOrgChain();
    const worker = await w.gridWorker(chain.grid, { code: `C-${suffix()}` });
    await live();
    const critical = async () => w.route((await w.alert(await w.device(chain, 'elevator'), { alertType: 'elevator.trapped', severity: 'critical', category: 'facility' })).id);
    const first = await critical();
    expect(cache.has('compound', chain.compound.id) && cache.has('org_unit', chain.community.id) && cache.has('active_grid_worker', chain.grid.id)).toBe(true);
    const second = await critical();
    for (const order of [first, second]) {
      expect(order.assignedCompany?.id).toBe(chain.company.id);
      expect(order.assignedGridWorker?.id).toBe(worker.id);
      expect(order.levelUnit.id).toBe(chain.community.id);
    }
    const reasons = await Promise.all([first, second].map(async (o) => (await w.history(o.id)).find((e) => e.action === 'routed')?.text));
    expect(reasons[1]).toBe(reasons[0]);
    expect(reasons[0]).toContain(chain.company.name);
  });

  (onPostgres ? it : it.skip)('routes by the roster as another connection changed it, not by what it had cached', async () => {
    const chain = await t.factories.newOrgChain();
    const tag = suffix();
    const first = await w.gridWorker(chain.grid, { code: `R-${tag}-1`, name: '张三' });
    const second = await w.gridWorker(chain.grid, { code: `R-${tag}-2`, name: '李四' });
    await live();
    const one = await w.route((await w.alert(await w.device(chain, 'smoke'), { alertType: 'smoke.alarm', severity: 'major', category: 'safety' })).id);
    expect(one.assignedGridWorker?.id).toBe(first.id);
    expect(cache.has('active_grid_worker', chain.grid.id)).toBe(true);

    await other!.query(`update grid_workers set active = false where id = $1`, [first.id]);
    await waitFor('the roster change to be heard', async () => (cache.has('active_grid_worker', chain.grid.id) ? undefined : true), { withinMs: 5000 });
    const two = await w.route((await w.alert(await w.device(chain, 'smoke'), { alertType: 'smoke.alarm', severity: 'major', category: 'safety' })).id);
    expect(two.assignedGridWorker?.id).toBe(second.id);
  });
});
