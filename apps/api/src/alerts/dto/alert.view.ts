import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALERT_STATUS_LABELS, AlertStatus, CATEGORY_LABELS, RULE_KIND_LABELS, SEVERITY_LABELS } from '@sc/core/alerts/alert-kinds';
import { Alert } from '@sc/core/alerts/entities/alert.entity';
import { LabelView } from '../../http/common.dto';


export class AlertView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: ['active', 'acknowledged', 'cleared'] })
  status!: string;
  @ApiProperty({ type: LabelView })
  statusLabel!: LabelView;
  @ApiProperty({ example: 'smoke.alarm' })
  alertType!: string;
  @ApiProperty({ type: LabelView, example: { en: 'Smoke alarm', zh: '烟雾报警' } })
  name!: LabelView;
  @ApiProperty({ enum: ['event', 'threshold', 'duration', 'repetition', 'offline', 'care_watch'] })
  ruleKind!: string;
  @ApiProperty({ type: LabelView })
  ruleKindLabel!: LabelView;
  @ApiPropertyOptional({ format: 'uuid', description: 'The stored override that raised it; absent for a catalogue default' })
  ruleId?: string;
  @ApiProperty({ enum: ['critical', 'major', 'minor', 'warning'] })
  severity!: string;
  @ApiProperty({ type: LabelView })
  severityLabel!: LabelView;
  @ApiProperty({ enum: ['safety', 'facility'] })
  category!: string;
  @ApiProperty({ type: LabelView })
  categoryLabel!: LabelView;
  @ApiProperty({ format: 'uuid' })
  deviceId!: string;
  @ApiProperty()
  deviceCode!: string;
  @ApiProperty()
  deviceType!: string;
  @ApiProperty({ format: 'uuid' })
  communityId!: string;
  @ApiProperty()
  communityCode!: string;
  @ApiPropertyOptional({ format: 'uuid' })
  compoundId?: string;
  @ApiPropertyOptional()
  compoundCode?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  gridId?: string;
  @ApiPropertyOptional()
  gridCode?: string;
  @ApiProperty({ description: 'Occurrences while open' })
  count!: number;
  @ApiProperty({ description: 'Device time of the first occurrence' })
  raisedAt!: Date;
  @ApiProperty({ description: 'Device time of the latest occurrence' })
  lastSeenAt!: Date;
  @ApiPropertyOptional({ description: 'msgId of the device message that raised it' })
  sourceMsgId?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Event data (personal subjects pseudonymised) or the measured value' })
  data?: Record<string, unknown>;
  @ApiPropertyOptional()
  acknowledgedAt?: Date;
  @ApiPropertyOptional({ description: 'Who acknowledged it' })
  acknowledgedBy?: string;
  @ApiPropertyOptional()
  clearedAt?: Date;
  @ApiPropertyOptional({ enum: ['rule', 'manual'] })
  clearedBy?: string;
  @ApiPropertyOptional()
  clearReason?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The work order it became or joined' })
  workOrderId?: string;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class AlertPage {
  @ApiProperty({ type: [AlertView] })
  items!: AlertView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export function toAlertView(alert: Alert): AlertView {
  return {
    id: alert.id,
    status: alert.status,
    statusLabel: ALERT_STATUS_LABELS[alert.status as AlertStatus],
    alertType: alert.alertType,
    name: { en: alert.nameEn, zh: alert.nameZh },
    ruleKind: alert.ruleKind,
    ruleKindLabel: RULE_KIND_LABELS[alert.ruleKind],
    ruleId: alert.ruleId ?? undefined,
    severity: alert.severity,
    severityLabel: SEVERITY_LABELS[alert.severity],
    category: alert.category,
    categoryLabel: CATEGORY_LABELS[alert.category],
    deviceId: alert.device.id,
    deviceCode: alert.device.code,
    deviceType: alert.device.type,
    communityId: alert.community.id,
    communityCode: alert.community.code,
    compoundId: alert.compound?.id,
    compoundCode: alert.compound?.code,
    gridId: alert.grid?.id,
    gridCode: alert.grid?.code,
    count: alert.count,
    raisedAt: alert.raisedAt,
    lastSeenAt: alert.lastSeenAt,
    sourceMsgId: alert.sourceMsgId ?? undefined,
    data: alert.data ?? undefined,
    acknowledgedAt: alert.acknowledgedAt ?? undefined,
    acknowledgedBy: alert.acknowledgedBy ?? undefined,
    clearedAt: alert.clearedAt ?? undefined,
    clearedBy: alert.clearedBy ?? undefined,
    clearReason: alert.clearReason ?? undefined,
    workOrderId: alert.workOrderId ?? undefined,
    createdAt: alert.createdAt,
    updatedAt: alert.updatedAt,
  };
}
