import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { DECISION_RULES, DecisionRule, MEETING_STATUSES, MeetingStatus } from '@sc/core/meetings/meeting-states';
import { PartyKind } from '@sc/core/org/org-level';
import { OptionalNotNull, PageQueryDto } from '../../http/common.dto';

export class QuorumDto {
  @ApiPropertyOptional({ enum: PartyKind, isArray: true, description: 'Party kinds that must be present (default: all four)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4)
  @IsEnum(PartyKind, { each: true })
  requiredKinds?: PartyKind[];

  @ApiPropertyOptional({ minimum: 1, description: 'At least this many invited parties present' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  minParties?: number;
}

export class CreateMeetingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  communityId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A meeting about one compound of the community' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiProperty({ example: '锦里社区第二季度联席会议' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ example: '锦里社区党群服务中心二楼会议室' })
  @IsString()
  @Length(1, 200)
  place!: string;

  @ApiProperty({ example: '2026-12-03T06:30:00Z' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2026-12-03T08:30:00Z' })
  @IsISO8601({ strict: true })
  endsAt!: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Party organisation or residents' committee; default: the community's Party organisation" })
  @IsOptional()
  @IsUUID()
  convenerPartyId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Invited parties; default: every party of the community (and of the compound)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  partyIds?: string[];

  @ApiPropertyOptional({ type: QuorumDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuorumDto)
  quorum?: QuorumDto;

  @ApiPropertyOptional({ enum: DECISION_RULES, default: 'consensus' })
  @IsOptional()
  @IsIn(DECISION_RULES)
  decisionRule?: DecisionRule;
}

export class UpdateMeetingDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  place?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsISO8601({ strict: true })
  endsAt?: string;
}

export class CancelMeetingDto {
  @ApiProperty({ example: '台风预警, 改期另行通知' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ListMeetingsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Meetings of communities under this unit' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "A compound's meetings and the community-wide meetings it sits in" })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ enum: MEETING_STATUSES })
  @IsOptional()
  @IsIn(MEETING_STATUSES)
  status?: MeetingStatus;

  @ApiPropertyOptional({ description: 'Meetings ending at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Meetings starting before this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
