import { Entity, Index, PrimaryKey, Property, Opt } from '@mikro-orm/core';
import { newId } from '../../shared/ids';

/** How a target receives: a signed JSON webhook, a WeCom group robot, a DingTalk group robot. */
export type DeliveryChannel = 'webhook' | 'wecom' | 'dingtalk';

/** Whose target it is: the deliveries for that owner go to all its enabled targets. */
export type DeliveryOwnerKind = 'grid_worker' | 'company' | 'unit' | 'account';

/**
 * Where notifications go. The signing secret must be usable to sign, so it cannot be a one-way
 * hash: it is stored encrypted (AES-256-GCM under a key derived from the service's secret key)
 * and shown once when created.
 */
@Entity({ tableName: 'delivery_targets' })
@Index({ name: 'delivery_targets_owner_idx', properties: ['ownerKind', 'ownerId'] })
@Index({ name: 'delivery_targets_unit_path_idx', properties: ['unitPath'] })
@Index({ name: 'delivery_targets_company_idx', properties: ['companyId'] })
export class DeliveryTarget {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 16 })
  ownerKind!: DeliveryOwnerKind;

  /** grid_workers.id, property_companies.id, org_units.id (officers / desk of that unit) or accounts.id. */
  @Property({ type: 'uuid' })
  ownerId!: string;

  /** Materialised path of the unit the owner belongs to (scope checks); empty for companies. */
  @Property({ type: 'string', length: 400, nullable: true })
  unitPath?: string;

  /** The property company the owner belongs to (scope checks): the company itself, or a company account's. */
  @Property({ type: 'uuid', nullable: true })
  companyId?: string;

  @Property({ type: 'string', length: 16 })
  channel!: DeliveryChannel;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 2000 })
  url!: string;

  /** Encrypted signing secret (webhook HMAC key, DingTalk "SEC…" secret); empty when the channel needs none. */
  @Property({ type: 'string', length: 400, nullable: true, hidden: true })
  secretCipher?: string;

  /** At most this many deliveries a minute to this target; more wait their turn. */
  @Property({ type: 'integer' })
  ratePerMinute: Opt<number> = 60;

  @Property({ type: 'integer' })
  timeoutMs: Opt<number> = 5000;

  @Property({ type: 'boolean' })
  enabled: Opt<boolean> = true;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
