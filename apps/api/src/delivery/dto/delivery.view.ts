import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DeliveryRow } from '@sc/core/delivery/deliveries.service';
import { DELIVERY_CHANNEL_LABELS, DELIVERY_EVENT_LABELS, DELIVERY_STATUS_LABELS, DELIVERY_STATUSES } from '@sc/core/delivery/delivery-labels';
import type { DeliveryStatus } from '@sc/core/delivery/entities/delivery.entity';
import { LabelView, PageQueryDto } from '../../http/common.dto';

export class ListDeliveriesQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Work order or meeting' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  targetId?: string;
}

export class DeliveryTargetRefView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty()
  channel!: string;
  @ApiProperty({ type: LabelView })
  channelLabel!: LabelView;
  @ApiProperty()
  ownerKind!: string;
  @ApiProperty({ format: 'uuid' })
  ownerId!: string;
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Also the X-SC-Delivery header: the same on every retry' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  targetId!: string;
  @ApiProperty({ type: DeliveryTargetRefView, nullable: true, description: 'null when the target was deleted since' })
  target!: DeliveryTargetRefView | null;
  @ApiProperty({ example: 'work_order' })
  subjectType!: string;
  @ApiProperty({ format: 'uuid' })
  subjectId!: string;
  @ApiProperty({ example: 'created' })
  event!: string;
  @ApiProperty({ type: LabelView })
  eventLabel!: LabelView;
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: string;
  @ApiProperty({ type: LabelView })
  statusLabel!: LabelView;
  @ApiProperty({ description: 'Sends tried so far' })
  attempts!: number;
  @ApiPropertyOptional({ example: 'HTTP 500 from pm.example.com' })
  lastError?: string;
  @ApiPropertyOptional({ description: 'HTTP status of the last attempt' })
  lastStatus?: number;
  @ApiPropertyOptional()
  deliveredAt?: Date;
  @ApiProperty({ description: 'The message (a webhook body adds deliveryId, event and sentAt)', type: Object })
  payload!: Record<string, unknown>;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] })
  items!: DeliveryView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export function toDeliveryView(row: DeliveryRow): DeliveryView {
  const d = row.delivery;
  return {
    id: d.id,
    targetId: d.targetId,
    target: row.target ? { ...row.target, channelLabel: DELIVERY_CHANNEL_LABELS[row.target.channel] } : null,
    subjectType: d.subjectType,
    subjectId: d.subjectId,
    event: d.event,
    eventLabel: DELIVERY_EVENT_LABELS[d.event] ?? { en: d.event, zh: d.event },
    status: d.status,
    statusLabel: DELIVERY_STATUS_LABELS[d.status as DeliveryStatus],
    attempts: d.attempts,
    lastError: d.lastError ?? undefined,
    lastStatus: d.lastStatus ?? undefined,
    deliveredAt: d.deliveredAt ?? undefined,
    payload: d.payload,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
