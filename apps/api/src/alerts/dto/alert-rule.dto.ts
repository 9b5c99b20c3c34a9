import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { RULE_KINDS } from '@sc/core/alerts/alert-kinds';
import { DEVICE_TYPE_CODES } from '@sc/core/devices/device-types.catalogue';
import { OptionalNotNull, PageQueryDto } from '../../http/common.dto';

const PARAMS_DESCRIPTION =
  'By kind: event {eventType}; threshold {field, op: gt|lt, limit}; duration {field, op, limit, forMinutes}; ' +
  'repetition {eventType, times ≥ 2, withinMinutes}; offline {}; care_watch {quietHours 1-168}. ' +
  'Event types and telemetry fields must be those of the device type; a limit must lie inside the field\'s valid range.';

/** Kinds, severities and the rest are checked by the domain, whose 400s name the field and list what is accepted. */
export class CreateAlertRuleDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Override for one community; omit both ids for a global override (administrators and city officers)' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Override for one compound (wins over its community\'s)' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiProperty({ enum: DEVICE_TYPE_CODES, example: 'gas' })
  @IsString()
  deviceType!: string;

  @ApiPropertyOptional({
    example: 'gas.lel_high',
    description: 'The alert type raised; defaults to the event type (event, repetition), device.offline or care.no_activity',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  alertType?: string;

  @ApiProperty({ enum: RULE_KINDS, example: 'duration' })
  @IsString()
  kind!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { field: 'lel', op: 'gt', limit: 8, forMinutes: 3 }, description: PARAMS_DESCRIPTION })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ['critical', 'major', 'minor', 'warning'], description: 'Default: the catalogue default\'s for this alert type' })
  @IsOptional()
  @IsString()
  severity?: string;

  @ApiPropertyOptional({ enum: ['safety', 'facility'], description: 'safety → grid worker; facility → property company' })
  @IsOptional()
  @IsString()
  category?: string;

  @ApiPropertyOptional({ example: '燃气浓度偏高' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameZh?: string;

  @ApiPropertyOptional({ example: 'Gas concentration high' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameEn?: string;

  @ApiPropertyOptional({ default: true, description: 'false switches the defaults it replaces off in its scope' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateAlertRuleDto {
  @ApiPropertyOptional({ enum: RULE_KINDS })
  @OptionalNotNull()
  @IsString()
  kind?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: PARAMS_DESCRIPTION })
  @OptionalNotNull()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ['critical', 'major', 'minor', 'warning'] })
  @OptionalNotNull()
  @IsString()
  severity?: string;

  @ApiPropertyOptional({ enum: ['safety', 'facility'] })
  @OptionalNotNull()
  @IsString()
  category?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  nameZh?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  nameEn?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

export class DefaultRulesQuery {
  @ApiPropertyOptional({ enum: DEVICE_TYPE_CODES, description: 'One device type; all when omitted' })
  @IsOptional()
  @IsString()
  deviceType?: string;
}

export class ListAlertRulesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: DEVICE_TYPE_CODES })
  @IsOptional()
  @IsString()
  deviceType?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Global overrides and those of this community and its compounds' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Global overrides, those of the compound\'s community and of the compound' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;
}

export class EffectiveRulesQuery {
  @ApiProperty({ enum: DEVICE_TYPE_CODES })
  @IsString()
  deviceType!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Wins over communityId: the compound\'s view includes its community\'s overrides' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;
}

