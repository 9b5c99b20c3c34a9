import { Entity, PrimaryKey, Property, Unique, Opt } from '@mikro-orm/core';
import { newId } from '../../shared/ids';

/** Who receives what: the grid worker of the device's grid, the compound's property company, both, or the community desk. */
export type RoutingTarget = 'grid_worker' | 'property_company' | 'both' | 'desk';

/**
 * The routing policy of a scope ("global" or "unit:<communityId>"); the narrowest one wins.
 * Default (DESIGN.md section 5): safety → grid worker, facility → property company,
 * critical → both, nobody found → community desk.
 */
@Entity({ tableName: 'routing_policies' })
@Unique({ name: 'routing_policies_scope_unique', properties: ['scopeKey'] })
export class RoutingPolicy {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 80 })
  scopeKey!: string;

  /** Category → target, e.g. {"safety": "grid_worker", "facility": "property_company"}. */
  @Property({ type: 'json' })
  categories!: Record<string, RoutingTarget>;

  /** Critical alerts go to both whatever their category. */
  @Property({ type: 'boolean' })
  criticalToBoth: Opt<boolean> = true;

  /** Whoever resolved an order may also verify it (督查); off by default, so a second person checks. */
  @Property({ type: 'boolean' })
  allowSelfVerify: Opt<boolean> = false;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
