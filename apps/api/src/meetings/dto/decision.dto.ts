import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { OUTCOMES, Outcome, POSITION_KINDS, PositionKind } from '@sc/core/meetings/meeting-states';

const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;

export class AttendanceDto {
  @ApiProperty({ format: 'uuid', description: 'The invited party the person attends for' })
  @IsUUID()
  partyId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The person (default: yourself); someone else only by the convener' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "A representative on the party's roster without an account (convener only)" })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ default: true, description: 'false: the person left' })
  @IsOptional()
  @IsBoolean()
  present?: boolean;
}

export class PositionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  partyId!: string;

  @ApiProperty({ enum: POSITION_KINDS })
  @IsIn(POSITION_KINDS)
  position!: PositionKind;

  @ApiPropertyOptional({ example: '同意, 但维修费用应由专项维修资金列支' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  statement?: string;
}

export class ActionItemDto {
  @ApiPropertyOptional({ description: "Default: the agenda item's title" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required: the owner party (present at the meeting or of the community)' })
  @IsOptional()
  @IsUUID()
  ownerPartyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required: the owner person, an account belonging to the owner party' })
  @IsOptional()
  @IsUUID()
  ownerAccountId?: string;

  @ApiPropertyOptional({ description: 'Required: the due date (the work order resolve deadline)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'minor', description: 'Sets the accept deadline of the SLA' })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: (typeof SEVERITIES)[number];
}

export class DecideDto {
  @ApiPropertyOptional({ enum: OUTCOMES, description: "Left out: the meeting's rule decides from the positions. deferred needs no quorum" })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: Outcome;

  @ApiPropertyOptional({ type: [PositionDto], description: "Positions recorded by the convener on the parties' behalf" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PositionDto)
  positions?: PositionDto[];

  @ApiPropertyOptional({ description: 'When the meeting reviews it again' })
  @IsOptional()
  @IsISO8601({ strict: true })
  reviewDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  summary?: string;

  @ApiPropertyOptional({ type: [ActionItemDto], description: 'Required for an adopted decision; each becomes a work order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ActionItemDto)
  actionItems?: ActionItemDto[];
}

export class ProgressDto {
  @ApiProperty({ minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  percent!: number;
}
