import { Entity, ManyToOne, PrimaryKey, Property, Unique, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Compound } from './compound.entity';
import { OrgUnit } from './org-unit.entity';

/** Building (楼栋) of a compound; its grid is the grid worker's patch. */
@Entity({ tableName: 'buildings' })
@Unique({ properties: ['compound', 'code'] })
export class Building {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 64 })
  code!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => Compound, { deleteRule: 'restrict' })
  compound!: Rel<Compound>;

  @ManyToOne(() => OrgUnit, { nullable: true, deleteRule: 'set null' })
  grid?: Rel<OrgUnit>;

  @Property({ type: 'integer', nullable: true })
  floors?: number;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
