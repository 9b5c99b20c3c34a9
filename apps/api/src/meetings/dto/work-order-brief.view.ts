import { ApiProperty } from '@nestjs/swagger';
import { isOverdue } from '@sc/core/meetings/order-filters';
import { WorkOrder } from '@sc/core/work-orders/entities/work-order.entity';
import { WORK_ORDER_STATUS_LABELS, WorkOrderStatus } from '@sc/core/work-orders/work-order-states';
import { LabelView } from '../../http/common.dto';
import { AuditEntryView } from '../../http/audit-entry.view';

/** What the meeting pages and the board show of a work order (an issue or an action item), and audit entries. */
export class WorkOrderBriefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  number!: string;
  @ApiProperty()
  title!: string;
  @ApiProperty()
  status!: WorkOrderStatus;
  @ApiProperty({ type: LabelView })
  statusLabel!: LabelView;
  @ApiProperty()
  source!: string;
  @ApiProperty()
  category!: string;
  @ApiProperty()
  type!: string;
  @ApiProperty()
  severity!: string;
  @ApiProperty()
  level!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  compoundId!: string | null;
  @ApiProperty()
  reportedAt!: Date;
  @ApiProperty({ nullable: true, type: Date })
  acceptDueAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date })
  resolveDueAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date })
  resolvedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date })
  verifiedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date })
  closedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String })
  closingReason!: string | null;
  @ApiProperty({ description: 'Open and past its accept or resolve deadline' })
  overdue!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'Action items: progress in percent' })
  progress!: number | null;
}

export class AuditEntryList {
  @ApiProperty({ type: [AuditEntryView] })
  items!: AuditEntryView[];
}

export function toWorkOrderBriefView(o: WorkOrder, now = new Date()): WorkOrderBriefView {
  return {
    id: o.id,
    number: o.number,
    title: o.title,
    status: o.status,
    statusLabel: WORK_ORDER_STATUS_LABELS[o.status as WorkOrderStatus],
    source: o.source,
    category: o.category,
    type: o.type,
    severity: o.severity,
    level: o.level,
    compoundId: o.compound?.id ?? null,
    reportedAt: o.reportedAt,
    acceptDueAt: o.acceptDueAt ?? null,
    resolveDueAt: o.resolveDueAt ?? null,
    resolvedAt: o.resolvedAt ?? null,
    verifiedAt: o.verifiedAt ?? null,
    closedAt: o.closedAt ?? null,
    closingReason: o.closingReason ?? null,
    overdue: isOverdue(o, now),
    progress: o.progress ?? null,
  };
}
