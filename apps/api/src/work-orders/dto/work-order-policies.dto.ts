import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsInt, IsNumber, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { MAX_PAGE_LIMIT } from '@sc/core/shared/paging';

export class RoutingPolicyQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'A community: its policy over the global one. Absent: the global policy' })
  @IsOptional()
  @IsUUID()
  communityId?: string;
}

export class PutRoutingPolicyDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Absent: the global policy (administrators, city officers)' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiProperty({
    example: { safety: 'grid_worker', facility: 'property_company' },
    description: 'Category → target: grid_worker, property_company, both or desk. A community policy overrides the global one category by category',
  })
  @IsObject()
  categories!: Record<string, string>;

  @ApiPropertyOptional({ description: 'Critical alerts go to both, whatever their category' })
  @IsOptional()
  @IsBoolean()
  criticalToBoth?: boolean;

  @ApiPropertyOptional({ description: 'Whoever resolved an order may also verify it (督查); default false' })
  @IsOptional()
  @IsBoolean()
  allowSelfVerify?: boolean;
}

export class PutSlaPolicyDto {
  @ApiProperty({ example: 'facility' })
  @IsString()
  @Length(1, 48)
  category!: string;

  @ApiPropertyOptional({ example: 'major', description: 'A severity or * (default); for category desk: complete or incomplete' })
  @IsOptional()
  @IsString()
  @Length(1, 16)
  severity?: string;

  @ApiProperty({ example: 30, description: 'Minutes to accept; fractions allowed' })
  @IsNumber()
  acceptMinutes!: number;

  @ApiProperty({ example: 1440, description: 'Minutes to resolve; fractions allowed' })
  @IsNumber()
  resolveMinutes!: number;

  @ApiPropertyOptional({ description: 'Minutes between reminders until acceptance; default half the accept deadline' })
  @IsOptional()
  @IsNumber()
  remindMinutes?: number;

  @ApiPropertyOptional({ default: 1, description: 'Each escalation level multiplies the deadlines by this' })
  @IsOptional()
  @IsNumber()
  levelFactor?: number;
}

export class SlaRowView {
  @ApiPropertyOptional({ format: 'uuid', description: 'Overrides only' })
  id?: string;
  @ApiProperty({ example: '*' })
  category!: string;
  @ApiProperty({ example: 'critical' })
  severity!: string;
  @ApiProperty()
  acceptMinutes!: number;
  @ApiProperty()
  resolveMinutes!: number;
  @ApiProperty()
  remindMinutes!: number;
  @ApiProperty()
  levelFactor!: number;
}

export class SlaPoliciesView {
  @ApiProperty({ type: [SlaRowView], description: 'DESIGN.md section 5 defaults (category * applies to every category)' })
  defaults!: SlaRowView[];
  @ApiProperty({ type: [SlaRowView] })
  overrides!: SlaRowView[];
}

export class StatsQueryDto {
  @ApiProperty({ format: 'uuid', description: 'An org unit in your scope: its communities\' orders are counted' })
  @IsUUID()
  unitId!: string;

  @ApiPropertyOptional({ description: 'Reported at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Reported before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class FeedQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page; absent: from the beginning' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Administrators: the company whose orders to read' })
  @IsOptional()
  @IsUUID()
  companyId?: string;
}
