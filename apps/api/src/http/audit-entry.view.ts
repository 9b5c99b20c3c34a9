import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditEntry } from '@sc/core/audit/entities/audit-entry.entity';

/** One audit-log entry: a step in the history of an alert, a work order or a meeting. */
export class AuditEntryView {
  @ApiProperty()
  id!: string;
  @ApiProperty()
  at!: Date;
  @ApiProperty({
    example: 'routed',
    description:
      'alerts: raised, repeated, acknowledged, cleared; work orders: created, routed, attached, accepted, started, held, resumed, resolved, verified, closed, reopened, assigned, escalated, breached, reminded, note, evidence, progress, delivered; meetings: scheduled, started, closed, …',
  })
  action!: string;
  @ApiProperty({ enum: ['account', 'api_key', 'device', 'system'] })
  actorKind!: string;
  @ApiPropertyOptional()
  actorId?: string;
  @ApiPropertyOptional()
  actorName?: string;
  @ApiPropertyOptional()
  fromState?: string;
  @ApiPropertyOptional()
  toState?: string;
  @ApiPropertyOptional()
  text?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;
}

export function toAuditEntryView(entry: AuditEntry): AuditEntryView {
  return {
    id: entry.id,
    at: entry.at,
    action: entry.action,
    actorKind: entry.actorKind,
    actorId: entry.actorId ?? undefined,
    actorName: entry.actorName ?? undefined,
    fromState: entry.fromState ?? undefined,
    toState: entry.toState ?? undefined,
    text: entry.text ?? undefined,
    details: entry.details ?? undefined,
  };
}
