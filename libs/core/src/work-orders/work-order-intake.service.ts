import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { RUNTIME_SETTINGS, RuntimeSettings } from '@sc/config';
import { actorOf } from '../audit/actor';
import { assertPermission, isAdmin, Principal } from '../identity/principal';
import { Permission } from '../identity/roles';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { OrgLevel } from '../org/org-level';
import { compoundInScope, unitInScope } from '../org/scope';
import { Outbox } from '../outbox/outbox';
import { DomainError } from '../shared/domain-error';
import { pseudonymise } from '../shared/pseudonym';
import { AlertSeverity } from '../devices/device-type';
import { Device } from '../devices/entities/device.entity';
import { WorkOrder } from './entities/work-order.entity';
import { OpenWorkOrderInput, OpenWorkOrderResult } from './open-work-order';
import { DESK_CATEGORY } from './sla-terms';
import { isCommunityWorkerOf } from './work-order-access';
import { ORDER_VIEW_POPULATE } from './work-order-change';
import { assertCategory, assertId, assertSeverity, assertText, assertType } from './work-order-input';
import { WorkOrdersService } from './work-orders.service';

/** A grid worker's or committee's report from a patrol (巡查上报). */
export interface PatrolReportInput {
  communityId?: string;
  compoundId?: string;
  gridId?: string;
  /** A device the report is about: the report joins the device's open order of the same type (e.g. its alert's). */
  deviceId?: string;
  category: string;
  type: string;
  severity: string;
  title: string;
  description?: string;
  /** The subject, when known ("building 3 stairwell light"): another report of it attaches. */
  openKey?: string;
}

/** A resident's request at the one-window desk (一窗受理). */
export interface DeskRequestInput {
  communityId: string;
  requestType: string;
  title: string;
  description?: string;
  documentsComplete: boolean;
  /** Raw phone or ID number: pseudonymised here, never stored or logged raw. */
  residentContact?: string;
  severity?: string;
}

/** An appointment home visit (预约上门). */
export interface VisitInput {
  communityId: string;
  compoundId?: string;
  gridId?: string;
  scheduledAt: Date;
  title: string;
  description?: string;
  type?: string;
  residentContact?: string;
  severity?: string;
}

export interface IntakeResult extends OpenWorkOrderResult {
  order: WorkOrder;
}

export const VISIT_CATEGORY = 'visit';

/** Purpose of the keyed hash of a resident's contact (phone numbers and ID numbers share the purposes of device data). */
function contactPurpose(contact: string): string {
  if (/^\d{17}[\dXx]$/.test(contact)) return 'id-number';
  if (/^\+?[\d]{5,20}$/.test(contact)) return 'phone';
  return 'resident-contact';
}

/**
 * Orders people open: patrol reports, one-window desk requests (首问负责: the worker asked first
 * owns it until it is closed; complete documents → 8 minutes), appointment visits.
 */
@Injectable()
export class WorkOrderIntake {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    private readonly workOrders: WorkOrdersService,
    @Inject(RUNTIME_SETTINGS) private readonly settings: RuntimeSettings,
  ) {}

  async report(principal: Principal, input: PatrolReportInput): Promise<IntakeResult> {
    assertPermission(principal, Permission.WorkOrdersReport);
    const em = this.em.fork();
    const place = await this.placeInScope(em, principal, input);
    const type = assertType(input.type);
    if (input.deviceId !== undefined && input.openKey !== undefined) throw DomainError.validation('give deviceId or openKey, not both', 'openKey');
    if (input.deviceId !== undefined) {
      const device = await em.findOne(Device, { id: assertId(input.deviceId, 'deviceId') });
      if (!device || device.community.id !== place.communityId) throw DomainError.validation(`unknown device ${input.deviceId} in this community`, 'deviceId');
    }
    const openKey =
      input.deviceId !== undefined
        ? `${input.deviceId}/${type}`
        : input.openKey !== undefined
          ? `report/${place.communityId}/${assertText(input.openKey, 'openKey', 100)}`
          : undefined;
    return this.open(em, {
      source: 'patrol',
      category: assertCategory(input.category),
      type,
      severity: assertSeverity(input.severity),
      title: assertText(input.title, 'title', 200),
      description: optionalText(input.description, 'description'),
      communityId: place.communityId,
      compoundId: place.compoundId,
      gridId: place.gridId,
      deviceId: input.deviceId,
      openKey,
      route: 'auto',
      reporterAccountId: principal.kind === 'account' ? principal.id : undefined,
    }, principal);
  }

  async deskRequest(principal: Principal, input: DeskRequestInput): Promise<IntakeResult> {
    assertPermission(principal, Permission.WorkOrdersReport);
    const em = this.em.fork();
    const community = await findCommunity(em, input.communityId);
    if (!unitInScope(principal.scope, community)) throw DomainError.notFound('community', community.id);
    if (principal.kind !== 'account' || (!isAdmin(principal) && !isCommunityWorkerOf(principal, community.id))) {
      throw DomainError.forbidden(`desk requests of ${community.name} are taken by its community workers (首问负责: the worker asked owns the request)`);
    }
    if (typeof input.documentsComplete !== 'boolean') throw DomainError.validation('documentsComplete must be true or false', 'documentsComplete');
    return this.open(em, {
      source: 'desk',
      category: DESK_CATEGORY,
      type: assertType(input.requestType, 'requestType'),
      severity: input.severity === undefined ? 'minor' : assertSeverity(input.severity),
      title: assertText(input.title, 'title', 200),
      description: optionalText(input.description, 'description'),
      communityId: community.id,
      route: { desk: true, reason: `one-window request taken at the desk of ${community.name} by ${principal.name} (首问负责)` },
      ownerAccountId: principal.id,
      assigneeAccountId: principal.id,
      reporterAccountId: principal.id,
      documentsComplete: input.documentsComplete,
      residentRef: this.residentRef(input.residentContact),
    }, principal);
  }

  async visit(principal: Principal, input: VisitInput): Promise<IntakeResult> {
    assertPermission(principal, Permission.WorkOrdersReport);
    const em = this.em.fork();
    const scheduledAt = input.scheduledAt;
    if (!(scheduledAt instanceof Date) || Number.isNaN(scheduledAt.getTime()) || scheduledAt.getTime() <= Date.now()) {
      throw DomainError.validation('scheduledAt must be a time in the future', 'scheduledAt');
    }
    const place = await this.placeInScope(em, principal, input);
    return this.open(em, {
      source: 'visit',
      category: VISIT_CATEGORY,
      type: input.type === undefined ? 'home_visit' : assertType(input.type),
      severity: input.severity === undefined ? 'minor' : assertSeverity(input.severity),
      title: assertText(input.title, 'title', 200),
      description: optionalText(input.description, 'description'),
      communityId: place.communityId,
      compoundId: place.compoundId,
      gridId: place.gridId,
      route: 'auto',
      reporterAccountId: principal.kind === 'account' ? principal.id : undefined,
      scheduledAt,
      residentRef: this.residentRef(input.residentContact),
    }, principal);
  }

  private async open(em: EntityManager, input: OpenWorkOrderInput & { severity: AlertSeverity }, principal: Principal): Promise<IntakeResult> {
    const result = await em.transactional((tx) => this.workOrders.open(tx, input, actorOf(principal)));
    this.outbox.committed();
    const order = await em.findOneOrFail(WorkOrder, { id: result.workOrderId }, { populate: ORDER_VIEW_POPULATE, refresh: true });
    return { ...result, order };
  }

  private residentRef(contact: string | undefined): string | undefined {
    if (contact === undefined) return undefined;
    const normalised = contact.replace(/[\s-]/g, '');
    if (normalised.length === 0 || normalised.length > 64) throw DomainError.validation('residentContact must be 1-64 characters', 'residentContact');
    return pseudonymise(this.settings.pseudonymKey, normalised, contactPurpose(normalised));
  }

  /**
   * Where a report is: a community, a grid or a compound, each of which implies the community.
   * The reporter needs one of them in scope: the community (workers, officers), the grid (grid
   * workers) or the compound (committees).
   */
  private async placeInScope(
    em: EntityManager,
    principal: Principal,
    input: { communityId?: string; compoundId?: string; gridId?: string },
  ): Promise<{ communityId: string; compoundId?: string; gridId?: string }> {
    const { scope } = principal;
    let community = input.communityId !== undefined ? await findCommunity(em, input.communityId) : undefined;
    let inScope = community !== undefined && unitInScope(scope, community);
    if (input.gridId !== undefined) {
      const grid = await em.findOne(OrgUnit, { id: assertId(input.gridId, 'gridId') }, { populate: ['parent'] });
      if (!grid || grid.level !== OrgLevel.Grid || !grid.parent) throw DomainError.validation(`unknown grid ${input.gridId}`, 'gridId');
      if (community && grid.parent.id !== community.id) throw DomainError.validation(`grid ${grid.code} is not in community ${community.code}`, 'gridId');
      community ??= grid.parent;
      inScope ||= unitInScope(scope, grid);
    }
    if (input.compoundId !== undefined) {
      const compound = await em.findOne(Compound, { id: assertId(input.compoundId, 'compoundId') }, { populate: ['community'] });
      if (!compound) throw DomainError.validation(`unknown compound ${input.compoundId}`, 'compoundId');
      if (community && compound.community.id !== community.id) throw DomainError.validation(`compound ${compound.code} is not in community ${community.code}`, 'compoundId');
      community ??= compound.community;
      inScope ||= compoundInScope(scope, compound);
    }
    if (!community) throw DomainError.validation('give communityId, gridId or compoundId', 'communityId');
    if (!inScope) throw DomainError.notFound('community', community.id);
    return { communityId: community.id, compoundId: input.compoundId, gridId: input.gridId };
  }
}

async function findCommunity(em: EntityManager, id: string): Promise<OrgUnit> {
  const unit = await em.findOne(OrgUnit, { id: assertId(id, 'communityId') });
  if (!unit) throw DomainError.notFound('community', id);
  if (unit.level !== OrgLevel.Community) throw DomainError.validation(`unit ${unit.code} is a ${unit.level}, not a community`, 'communityId');
  return unit;
}

function optionalText(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return assertText(value, field, 4000);
}
