import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { DELIVERY_CHANNELS, DELIVERY_OWNER_KINDS } from '@sc/core/delivery/delivery-labels';
import { TARGET_LIMITS } from '@sc/core/delivery/delivery-targets.service';
import type { DeliveryChannel, DeliveryOwnerKind } from '@sc/core/delivery/entities/delivery-target.entity';
import { OptionalNotNull, PageQueryDto, QueryBoolean } from '../../http/common.dto';

export class CreateDeliveryTargetDto {
  @ApiProperty({ enum: DELIVERY_OWNER_KINDS, description: 'Whose notifications go here: a grid worker, a property company, an org unit (its officers / desk) or an account' })
  @IsIn(DELIVERY_OWNER_KINDS)
  ownerKind!: DeliveryOwnerKind;

  @ApiProperty({ format: 'uuid', description: 'Id of the grid worker, company, org unit or account' })
  @IsUUID()
  ownerId!: string;

  @ApiProperty({ enum: DELIVERY_CHANNELS, description: 'webhook (signed JSON), wecom (企业微信群机器人), dingtalk (钉钉群机器人)' })
  @IsIn(DELIVERY_CHANNELS)
  channel!: DeliveryChannel;

  @ApiProperty({ example: '锦里物业工单系统' })
  @IsString()
  @Length(1, TARGET_LIMITS.name)
  name!: string;

  @ApiProperty({ example: 'https://pm.example.com/hooks/smart-community', description: 'http or https' })
  @IsString()
  @Length(1, TARGET_LIMITS.url)
  url!: string;

  @ApiPropertyOptional({
    description: 'webhook: the HMAC key (generated when absent, shown once in this response); dingtalk: the robot\'s "SEC…" secret; wecom: none',
  })
  @IsOptional()
  @IsString()
  @Length(TARGET_LIMITS.secretMin, TARGET_LIMITS.secretMax)
  secret?: string;

  @ApiPropertyOptional({ minimum: TARGET_LIMITS.rate.min, maximum: TARGET_LIMITS.rate.max, default: 60, description: 'At most this many deliveries a minute; more wait their turn' })
  @IsOptional()
  @IsInt()
  @Min(TARGET_LIMITS.rate.min)
  @Max(TARGET_LIMITS.rate.max)
  ratePerMinute?: number;

  @ApiPropertyOptional({ minimum: TARGET_LIMITS.timeoutMs.min, maximum: TARGET_LIMITS.timeoutMs.max, default: 5000 })
  @IsOptional()
  @IsInt()
  @Min(TARGET_LIMITS.timeoutMs.min)
  @Max(TARGET_LIMITS.timeoutMs.max)
  timeoutMs?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateDeliveryTargetDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, TARGET_LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ description: 'http or https' })
  @OptionalNotNull()
  @IsString()
  @Length(1, TARGET_LIMITS.url)
  url?: string;

  @ApiPropertyOptional({ minimum: TARGET_LIMITS.rate.min, maximum: TARGET_LIMITS.rate.max })
  @OptionalNotNull()
  @IsInt()
  @Min(TARGET_LIMITS.rate.min)
  @Max(TARGET_LIMITS.rate.max)
  ratePerMinute?: number;

  @ApiPropertyOptional({ minimum: TARGET_LIMITS.timeoutMs.min, maximum: TARGET_LIMITS.timeoutMs.max })
  @OptionalNotNull()
  @IsInt()
  @Min(TARGET_LIMITS.timeoutMs.min)
  @Max(TARGET_LIMITS.timeoutMs.max)
  timeoutMs?: number;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

export class RotateSecretDto {
  @ApiPropertyOptional({ description: 'webhook: your own new key (else one is generated); dingtalk: required, the new secret DingTalk issued' })
  @IsOptional()
  @IsString()
  @Length(TARGET_LIMITS.secretMin, TARGET_LIMITS.secretMax)
  secret?: string;
}

export class ListDeliveryTargetsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_OWNER_KINDS })
  @IsOptional()
  @IsIn(DELIVERY_OWNER_KINDS)
  ownerKind?: DeliveryOwnerKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_CHANNELS })
  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: DeliveryChannel;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  enabled?: boolean;
}
