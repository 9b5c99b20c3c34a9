import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { ALERT_SEVERITIES } from '@sc/core/alerts/alert-kinds';
import { CLOSING_REASONS, ClosingReason, ESCALATION_LEVELS, WORK_ORDER_SOURCES, WORK_ORDER_STATUSES } from '@sc/core/work-orders/work-order-states';
import { MAX_EVIDENCE_URLS } from '@sc/core/work-orders/work-order-input';
import { PageQueryDto, QueryBoolean } from '../../http/common.dto';

export class ListWorkOrdersQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: WORK_ORDER_STATUSES })
  @IsOptional()
  @IsIn(WORK_ORDER_STATUSES)
  status?: (typeof WORK_ORDER_STATUSES)[number];

  @ApiPropertyOptional({ enum: ['open', 'fixed', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'fixed', 'closed'])
  stage?: 'open' | 'fixed' | 'closed';

  @ApiPropertyOptional({ enum: WORK_ORDER_SOURCES })
  @IsOptional()
  @IsIn(WORK_ORDER_SOURCES)
  source?: (typeof WORK_ORDER_SOURCES)[number];

  @ApiPropertyOptional({ example: 'safety' })
  @IsOptional()
  @IsString()
  @Length(1, 48)
  category?: string;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES })
  @IsOptional()
  @IsIn(ALERT_SEVERITIES)
  severity?: 'critical' | 'major' | 'minor' | 'warning';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ enum: ESCALATION_LEVELS })
  @IsOptional()
  @IsIn(ESCALATION_LEVELS)
  level?: (typeof ESCALATION_LEVELS)[number];

  @ApiPropertyOptional({ type: Boolean, description: 'Open and past a deadline now' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'Assigned to, owned by, or routed to me (my grid, company or desk)' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  assignedToMe?: boolean;
}

/** A patrol or grid report (巡查上报). */
export class ReportWorkOrderDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Give the community, a grid of it or a compound of it' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  gridId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "A device it is about: the report joins the device's open order of the same type (an alert's)" })
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiProperty({ example: 'facility', description: 'Routing and SLA category: safety, facility, or another routed category' })
  @IsString()
  @Length(1, 48)
  category!: string;

  @ApiProperty({ example: 'stairwell.light' })
  @IsString()
  @Length(1, 64)
  type!: string;

  @ApiProperty({ enum: ALERT_SEVERITIES })
  @IsIn(ALERT_SEVERITIES)
  severity!: string;

  @ApiProperty({ example: '3号楼楼道灯不亮' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  description?: string;

  @ApiPropertyOptional({ example: 'building-3-stairwell-light', description: 'The subject: another open report of it takes this one instead' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  openKey?: string;
}

export class DeskRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  communityId!: string;

  @ApiProperty({ example: 'residence_certificate', description: 'What the resident asks for' })
  @IsString()
  @Length(1, 64)
  requestType!: string;

  @ApiProperty({ example: '开具居住证明' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  description?: string;

  @ApiProperty({ description: '资料齐全: complete documents carry the 8-minute SLA' })
  @IsBoolean()
  documentsComplete!: boolean;

  @ApiPropertyOptional({ description: 'Resident phone or ID number: stored only as a keyed-hash pseudonym, never raw' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  residentContact?: string;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES, default: 'minor' })
  @IsOptional()
  @IsIn(ALERT_SEVERITIES)
  severity?: string;
}

export class VisitDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  communityId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  gridId?: string;

  @ApiProperty({ description: 'When the visit is booked (in the future)', example: '2026-12-01T09:00:00+08:00' })
  @Type(() => Date)
  @IsDate()
  scheduledAt!: Date;

  @ApiProperty({ example: '独居老人上门探访' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  description?: string;

  @ApiPropertyOptional({ example: 'care_visit', default: 'home_visit' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  type?: string;

  @ApiPropertyOptional({ description: 'Resident phone or ID number: stored only as a pseudonym' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  residentContact?: string;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES, default: 'minor' })
  @IsOptional()
  @IsIn(ALERT_SEVERITIES)
  severity?: string;
}

export class ReasonDto {
  @ApiPropertyOptional({ description: 'Why (kept in the history)' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  reason?: string;
}

export class NoteOptionalDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  note?: string;
}

export class ReferralDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  companyId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  gridWorkerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A community whose desk takes it over' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiProperty({ example: '供电公司', description: 'Who is responsible, in words' })
  @IsString()
  @Length(1, 300)
  name!: string;
}

export class CloseWorkOrderDto {
  @ApiProperty({ enum: CLOSING_REASONS })
  @IsIn(CLOSING_REASONS)
  reason!: ClosingReason;

  @ApiPropertyOptional({ format: 'uuid', description: 'reason duplicate: the order this one duplicates' })
  @IsOptional()
  @IsUUID()
  duplicateOfId?: string;

  @ApiPropertyOptional({ type: ReferralDto, description: 'reason not_responsible: who is; a linked order is opened for them' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReferralDto)
  referTo?: ReferralDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  note?: string;
}

export class AssignWorkOrderDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A person in your scope (grid worker account, property staff, community worker)' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  gridWorkerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  companyId?: string;

  @ApiPropertyOptional({ description: 'The community desk' })
  @IsOptional()
  @IsBoolean()
  desk?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  reason?: string;
}

export class NoteDto {
  @ApiProperty()
  @IsString()
  @Length(1, 4000)
  text!: string;
}

export class EvidenceDto {
  @ApiProperty({ type: [String], example: ['https://photos.example.cn/gd/1.jpg'], description: `Photo URLs, http or https, at most ${MAX_EVIDENCE_URLS}` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVIDENCE_URLS)
  @IsString({ each: true })
  @Length(1, 2000, { each: true })
  urls!: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  caption?: string;
}

export class ProgressDto {
  @ApiProperty({ minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  percent!: number;
}
