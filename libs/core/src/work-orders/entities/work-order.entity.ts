import { Entity, Index, ManyToOne, PrimaryKey, Property, Opt, Rel } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { OrgUnit } from '../../org/entities/org-unit.entity';
import { Compound } from '../../org/entities/compound.entity';
import { PropertyCompany } from '../../org/entities/property-company.entity';
import { GridWorker } from '../../org/entities/grid-worker.entity';
import { Device } from '../../devices/entities/device.entity';
import { Account } from '../../identity/entities/account.entity';
import { AlertSeverity } from '../../devices/device-type';
import { ClosingReason, EscalationLevel, WorkOrderSource, WorkOrderStatus } from '../work-order-states';

/**
 * A job for someone: from a device alert, a one-window desk request, a patrol report, an
 * appointment visit or a joint-meeting decision. `openKey` ("<deviceId>/<alertType>" or another
 * subject key) is set while the order is open or fixed and NULL once closed, under a unique
 * index: later alerts and reports about the same thing attach to it instead of opening another.
 */
@Entity({ tableName: 'work_orders' })
@Index({ name: 'work_orders_community_status_idx', properties: ['community', 'status'] })
@Index({ name: 'work_orders_company_updated_idx', properties: ['assignedCompany', 'updatedAt', 'id'] })
@Index({ name: 'work_orders_grid_worker_idx', properties: ['assignedGridWorker', 'status'] })
@Index({ name: 'work_orders_reported_idx', properties: ['reportedAt'] })
export class WorkOrder {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** Human number, e.g. "GD20261126-0001a2b3" (工单号). */
  @Property({ type: 'string', length: 40, unique: 'work_orders_number_unique' })
  number!: string;

  @Property({ type: 'string', length: 160, nullable: true, unique: 'work_orders_open_key_unique' })
  openKey?: string | null;

  @Property({ type: 'string', length: 16 })
  source!: WorkOrderSource;

  /** Routing and SLA category: "safety", "facility", "desk", or a desk/meeting category. */
  @Property({ type: 'string', length: 48 })
  category!: string;

  /** What it is about: an alert type ("smoke.alarm") or a request type ("residence_certificate"). */
  @Property({ type: 'string', length: 64 })
  type!: string;

  @Property({ type: 'string', length: 16 })
  severity!: AlertSeverity;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ type: 'string', length: 16 })
  status: Opt<WorkOrderStatus> = 'reported';

  @Property({ type: 'string', length: 24, nullable: true })
  closingReason?: ClosingReason;

  /** closing reason duplicate: the order this one duplicates. */
  @Property({ type: 'uuid', nullable: true })
  duplicateOfId?: string;

  /** closing reason not_responsible: the linked order opened for whoever is responsible. */
  @Property({ type: 'uuid', nullable: true })
  referredToId?: string;

  @Property({ type: 'string', length: 300, nullable: true })
  referredToName?: string;

  // Where.
  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  community!: Rel<OrgUnit>;

  /** Materialised path of the community, for subtree scope filters and per-unit statistics. */
  @Property({ type: 'string', length: 400 })
  @Index({ name: 'work_orders_community_path_idx' })
  communityPath!: string;

  @ManyToOne(() => Compound, { nullable: true, deleteRule: 'set null' })
  compound?: Rel<Compound>;

  @ManyToOne(() => OrgUnit, { nullable: true, deleteRule: 'set null' })
  grid?: Rel<OrgUnit>;

  @ManyToOne(() => Device, { nullable: true, deleteRule: 'set null' })
  device?: Rel<Device>;

  /** The alert that opened it (later alerts attach and are counted). */
  @Property({ type: 'uuid', nullable: true })
  alertId?: string;

  @Property({ type: 'integer' })
  alertCount: Opt<number> = 0;

  // Who: the routing decision, then the person who took it.
  @ManyToOne(() => GridWorker, { nullable: true, deleteRule: 'set null' })
  assignedGridWorker?: Rel<GridWorker>;

  @ManyToOne(() => PropertyCompany, { nullable: true, deleteRule: 'set null' })
  assignedCompany?: Rel<PropertyCompany>;

  /** Nobody else found: the community desk has it. */
  @Property({ type: 'boolean' })
  assignedDesk: Opt<boolean> = false;

  /** The person working on it (accepted by, or assigned to). */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'set null' })
  assignee?: Rel<Account>;

  /** 首问负责: the first worker asked owns a desk request until it is closed. */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'set null' })
  owner?: Rel<Account>;

  /** Who reported it (a person); empty for device alerts. */
  @ManyToOne(() => Account, { nullable: true, deleteRule: 'set null' })
  reporter?: Rel<Account>;

  // One-window desk requests.
  @Property({ type: 'boolean', nullable: true })
  documentsComplete?: boolean;

  /** Resident contact, pseudonymised (PIPL); the raw value is never stored. */
  @Property({ type: 'string', length: 64, nullable: true })
  residentRef?: string;

  /** Appointment home visit (预约上门): when the visit is booked. */
  @Property({ type: 'datetime', nullable: true })
  scheduledAt?: Date;

  // Joint-meeting action items (the meetings feature fills these).
  @Property({ type: 'uuid', nullable: true })
  @Index({ name: 'work_orders_meeting_decision_idx' })
  meetingDecisionId?: string;

  @Property({ type: 'uuid', nullable: true })
  ownerPartyId?: string;

  /** Progress of an action item in percent. */
  @Property({ type: 'smallint', nullable: true })
  progress?: number;

  // SLA and escalation.
  @Property({ type: 'string', length: 16 })
  level: Opt<EscalationLevel> = 'community';

  /** The org unit that holds the order at its current level (community, street, district, city). */
  @ManyToOne(() => OrgUnit, { deleteRule: 'restrict' })
  levelUnit!: Rel<OrgUnit>;

  @Property({ type: 'integer' })
  escalations: Opt<number> = 0;

  @Property({ type: 'datetime', nullable: true })
  acceptDueAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  resolveDueAt?: Date;

  /** A deadline passed at some point (SLA compliance counts orders where it never did). */
  @Property({ type: 'boolean' })
  slaBreached: Opt<boolean> = false;

  @Property({ type: 'integer' })
  reminders: Opt<number> = 0;

  @Property({ type: 'integer' })
  reopenCount: Opt<number> = 0;

  @Property({ type: 'string', length: 16, nullable: true })
  resolvedLevel?: EscalationLevel;

  @Property({ type: 'datetime' })
  reportedAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  dispatchedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  verifiedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  /** Also the pull API's cursor: (updatedAt, id). */
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
