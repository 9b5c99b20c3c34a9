import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { isOverdue } from '@sc/core/work-orders/sla-clock';
import {
  CLOSING_REASON_LABELS,
  ESCALATION_LEVEL_LABELS,
  EscalationLevel,
  WorkOrderStatus,
  stageOf,
  WORK_ORDER_SOURCE_LABELS,
  WORK_ORDER_STATUS_LABELS,
} from '@sc/core/work-orders/work-order-states';
import { LabelView } from '../../http/common.dto';
import { AuditEntryView } from '../../http/audit-entry.view';

export class RefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiPropertyOptional()
  code?: string;
  @ApiProperty()
  name!: string;
}

export class DeviceRefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty({ example: 'smoke' })
  type!: string;
  @ApiPropertyOptional()
  location?: string;
}

export class AssignedToView {
  @ApiPropertyOptional({ type: RefView, description: 'Routed grid worker (网格员)' })
  gridWorker?: RefView;
  @ApiPropertyOptional({ type: RefView, description: 'Routed property company (物业)' })
  company?: RefView;
  @ApiProperty({ description: 'The community desk has it' })
  desk!: boolean;
}

/** A work order (工单) as the API shows it. The resident's contact exists only as a pseudonym. */
export class WorkOrderView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ example: 'GD20261126-0001a2b3' })
  number!: string;
  @ApiProperty()
  title!: string;
  @ApiPropertyOptional()
  description?: string;
  @ApiProperty({ example: 'alert' })
  source!: string;
  @ApiProperty({ type: LabelView })
  sourceLabel!: LabelView;
  @ApiProperty({ example: 'safety' })
  category!: string;
  @ApiProperty({ example: 'smoke.alarm' })
  type!: string;
  @ApiProperty({ example: 'major' })
  severity!: string;
  @ApiProperty({ example: 'dispatched' })
  status!: string;
  @ApiProperty({ type: LabelView })
  statusLabel!: LabelView;
  @ApiProperty({ enum: ['open', 'fixed', 'closed'], description: 'Fixed (resolved) is not closed' })
  stage!: string;
  @ApiPropertyOptional()
  closingReason?: string;
  @ApiPropertyOptional({ type: LabelView })
  closingReasonLabel?: LabelView;
  @ApiPropertyOptional({ format: 'uuid' })
  duplicateOfId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'not_responsible: the linked order for whoever is responsible' })
  referredToId?: string;
  @ApiPropertyOptional()
  referredToName?: string;
  @ApiProperty({ type: RefView })
  community!: RefView;
  @ApiPropertyOptional({ type: RefView })
  compound?: RefView;
  @ApiPropertyOptional({ type: RefView })
  grid?: RefView;
  @ApiPropertyOptional({ type: DeviceRefView })
  device?: DeviceRefView;
  @ApiPropertyOptional({ format: 'uuid' })
  alertId?: string;
  @ApiProperty({ description: 'Alerts counted on it: the first and those that attached later' })
  alertCount!: number;
  @ApiProperty({ type: AssignedToView })
  assignedTo!: AssignedToView;
  @ApiPropertyOptional({ type: RefView, description: 'The person working on it' })
  assignee?: RefView;
  @ApiPropertyOptional({ type: RefView, description: '首问负责: the desk worker who owns it until it is closed' })
  owner?: RefView;
  @ApiPropertyOptional({ type: RefView })
  reporter?: RefView;
  @ApiPropertyOptional()
  documentsComplete?: boolean;
  @ApiPropertyOptional({ description: 'Pseudonym of the resident contact (keyed hash); the raw contact is never stored' })
  residentRef?: string;
  @ApiPropertyOptional()
  scheduledAt?: Date;
  @ApiPropertyOptional({ format: 'uuid' })
  meetingDecisionId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  ownerPartyId?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  progress?: number;
  @ApiProperty({ example: 'community' })
  level!: string;
  @ApiProperty({ type: LabelView })
  levelLabel!: LabelView;
  @ApiProperty({ type: RefView, description: 'The unit holding it at its level' })
  levelUnit!: RefView;
  @ApiProperty()
  escalations!: number;
  @ApiPropertyOptional()
  acceptDueAt?: Date;
  @ApiPropertyOptional()
  resolveDueAt?: Date;
  @ApiProperty({ description: 'A deadline passed at some point' })
  slaBreached!: boolean;
  @ApiProperty({ description: 'Open and past a deadline now' })
  overdue!: boolean;
  @ApiProperty()
  reminders!: number;
  @ApiProperty()
  reopenCount!: number;
  @ApiPropertyOptional({ description: 'The level it was resolved at' })
  resolvedLevel?: string;
  @ApiProperty()
  reportedAt!: Date;
  @ApiPropertyOptional()
  dispatchedAt?: Date;
  @ApiPropertyOptional()
  acceptedAt?: Date;
  @ApiPropertyOptional()
  resolvedAt?: Date;
  @ApiPropertyOptional()
  verifiedAt?: Date;
  @ApiPropertyOptional()
  closedAt?: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class WorkOrderDetailView extends WorkOrderView {
  @ApiProperty({ description: 'Alerts linked to the order' })
  alerts!: number;
}

export class WorkOrderPage {
  @ApiProperty({ type: [WorkOrderView] })
  items!: WorkOrderView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export class OpenedWorkOrderView extends WorkOrderView {
  @ApiProperty({ description: 'An open order about the same subject took the report instead of a new one' })
  attached!: boolean;
}

export class WorkOrderHistoryView {
  @ApiProperty({ format: 'uuid' })
  workOrderId!: string;
  @ApiProperty()
  number!: string;
  @ApiProperty({ type: [AuditEntryView] })
  entries!: AuditEntryView[];
}

function ref(entity: { id: string; code?: string; name?: string } | null | undefined): RefView | undefined {
  return entity ? { id: entity.id, code: entity.code, name: entity.name ?? '' } : undefined;
}

function accountRef(account: { id: string; username: string; displayName: string } | null | undefined): RefView | undefined {
  return account ? { id: account.id, code: account.username, name: account.displayName } : undefined;
}

/** Expects the relations of ORDER_VIEW_POPULATE loaded. */
export function toWorkOrderView(order: WorkOrder): WorkOrderView {
  return {
    id: order.id,
    number: order.number,
    title: order.title,
    description: order.description ?? undefined,
    source: order.source,
    sourceLabel: WORK_ORDER_SOURCE_LABELS[order.source],
    category: order.category,
    type: order.type,
    severity: order.severity,
    status: order.status,
    statusLabel: WORK_ORDER_STATUS_LABELS[order.status as WorkOrderStatus],
    stage: stageOf(order.status),
    closingReason: order.closingReason ?? undefined,
    closingReasonLabel: order.closingReason ? CLOSING_REASON_LABELS[order.closingReason] : undefined,
    duplicateOfId: order.duplicateOfId ?? undefined,
    referredToId: order.referredToId ?? undefined,
    referredToName: order.referredToName ?? undefined,
    community: ref(order.community) as RefView,
    compound: ref(order.compound),
    grid: ref(order.grid),
    device: order.device ? { id: order.device.id, code: order.device.code, type: order.device.type, location: order.device.location ?? undefined } : undefined,
    alertId: order.alertId ?? undefined,
    alertCount: order.alertCount,
    assignedTo: { gridWorker: ref(order.assignedGridWorker), company: ref(order.assignedCompany), desk: order.assignedDesk },
    assignee: accountRef(order.assignee),
    owner: accountRef(order.owner),
    reporter: accountRef(order.reporter),
    documentsComplete: order.documentsComplete ?? undefined,
    residentRef: order.residentRef ?? undefined,
    scheduledAt: order.scheduledAt ?? undefined,
    meetingDecisionId: order.meetingDecisionId ?? undefined,
    ownerPartyId: order.ownerPartyId ?? undefined,
    progress: order.progress ?? undefined,
    level: order.level,
    levelLabel: ESCALATION_LEVEL_LABELS[order.level as EscalationLevel],
    levelUnit: ref(order.levelUnit) as RefView,
    escalations: order.escalations,
    acceptDueAt: order.acceptDueAt ?? undefined,
    resolveDueAt: order.resolveDueAt ?? undefined,
    slaBreached: order.slaBreached,
    overdue: isOverdue(order, new Date()),
    reminders: order.reminders,
    reopenCount: order.reopenCount,
    resolvedLevel: order.resolvedLevel ?? undefined,
    reportedAt: order.reportedAt,
    dispatchedAt: order.dispatchedAt ?? undefined,
    acceptedAt: order.acceptedAt ?? undefined,
    resolvedAt: order.resolvedAt ?? undefined,
    verifiedAt: order.verifiedAt ?? undefined,
    closedAt: order.closedAt ?? undefined,
    updatedAt: order.updatedAt,
  };
}
