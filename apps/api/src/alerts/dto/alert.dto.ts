import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ALERT_CATEGORIES, ALERT_SEVERITIES, ALERT_STATUSES } from '@sc/core/alerts/alert-kinds';
import { CLEAR_REASON_MAX } from '@sc/core/alerts/lifecycle/alerts.service';
import { PageQueryDto } from '../../http/common.dto';

export class ListAlertsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATUSES })
  @IsOptional()
  @IsIn(ALERT_STATUSES, { message: `status must be one of ${ALERT_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES })
  @IsOptional()
  @IsIn(ALERT_SEVERITIES, { message: `severity must be one of ${ALERT_SEVERITIES.join(', ')}` })
  severity?: string;

  @ApiPropertyOptional({ enum: ALERT_CATEGORIES })
  @IsOptional()
  @IsIn(ALERT_CATEGORIES, { message: `category must be one of ${ALERT_CATEGORIES.join(', ')}` })
  category?: string;
}

export class ClearAlertDto {
  @ApiProperty({ example: '现场确认为误报(厨房油烟)', description: `Why it is cleared by hand (1-${CLEAR_REASON_MAX} characters)` })
  @IsString()
  @Length(1, CLEAR_REASON_MAX)
  reason!: string;
}
