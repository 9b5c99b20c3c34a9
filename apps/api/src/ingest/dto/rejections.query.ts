import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { REJECTION_REASONS, RejectionReason } from '@sc/messaging';
import { PageQueryDto } from '../../http/common.dto';

export class ListRejectionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: REJECTION_REASONS })
  @IsOptional()
  @IsIn(REJECTION_REASONS)
  reason?: RejectionReason;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this device\'s rejected messages' })
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Received at or after (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
}
