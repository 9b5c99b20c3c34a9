import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { OrgUnit } from './org-unit.entity';

/** Grid worker (网格员) on the roster of one grid. */
@Entity({ tableName: 'grid_workers' })
export class GridWorker {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** Staff number (工号). */
  @Property({ type: 'string', length: 64 })
  @Unique()
  code!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  @Index({ name: 'grid_workers_grid_idx' })
  grid!: Rel<OrgUnit>;

  /** Full-time (专职) or part-time grid worker. */
  @Property({ type: 'boolean' })
  fullTime: Opt<boolean> = true;

  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
