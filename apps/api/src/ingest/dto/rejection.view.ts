import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REJECTION_MEANINGS, REJECTION_REASONS, RejectionReason } from '@sc/messaging';
import { IngestRejection } from '@sc/core/telemetry/entities/ingest-rejection.entity';

/** A refused device message from the quarantine (被拒收的设备消息). */
export class RejectionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  receivedAt!: Date;
  @ApiProperty({ enum: REJECTION_REASONS })
  reason!: RejectionReason;
  @ApiProperty({ description: 'What the reason means' })
  meaning!: string;
  @ApiProperty({ example: 'values.obscuration = 5 is outside [0, 2] dB/m' })
  detail!: string;
  @ApiProperty({ example: 'sc/v1/jinli/jl-smoke-0001/telemetry' })
  topic!: string;
  @ApiPropertyOptional({ description: 'Device id the message claimed' })
  deviceCode?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The registered device, when the claim names one' })
  deviceId?: string;
  @ApiPropertyOptional({ description: 'Start of the payload (512 bytes), personal keys masked; none for access-control events' })
  payloadExcerpt?: string;
}

export class RejectionPage {
  @ApiProperty({ type: [RejectionView] })
  items!: RejectionView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export function toRejectionView(row: IngestRejection): RejectionView {
  return {
    id: row.id,
    receivedAt: row.receivedAt,
    reason: row.reason,
    meaning: REJECTION_MEANINGS[row.reason]?.meaning ?? row.reason,
    detail: row.detail,
    topic: row.topic,
    deviceCode: row.deviceCode ?? undefined,
    deviceId: row.device?.id,
    payloadExcerpt: row.payloadExcerpt ?? undefined,
  };
}
