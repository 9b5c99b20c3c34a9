import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { ORG_LEVEL_LABELS, OrgLevel, Settlement } from '@sc/core/org/org-level';
import { LabelView, OptionalNotNull, PageInfo, PageQueryDto, QueryBoolean } from '../../http/common.dto';

export class CreateOrgUnitDto {
  @ApiProperty({ example: 'HN-TJA-DS-JL', description: 'Unique code: letters, digits, . - _' })
  @IsString()
  @Length(1, 64)
  code!: string;

  @ApiProperty({ example: '锦里社区' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'Jinli Community' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameEn?: string | null;

  @ApiProperty({ enum: OrgLevel, description: 'Exactly one level below the parent; a city has no parent' })
  @IsEnum(OrgLevel)
  level!: OrgLevel;

  @ApiPropertyOptional({ format: 'uuid', description: 'Parent unit by id (or give parentCode)' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ example: 'HN-TJA-DS', description: 'Parent unit by code (or give parentId)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  parentCode?: string;

  @ApiPropertyOptional({ description: 'Smart-community pilot (智慧社区试点)' })
  @IsOptional()
  @IsBoolean()
  pilot?: boolean;

  @ApiPropertyOptional({ enum: Settlement, description: 'Communities only: urban community (社区) or village (行政村)' })
  @IsOptional()
  @IsEnum(Settlement)
  settlement?: Settlement;
}

export class UpdateOrgUnitDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameEn?: string | null;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  pilot?: boolean;

  @ApiPropertyOptional({ enum: Settlement, nullable: true })
  @IsOptional()
  @IsEnum(Settlement)
  settlement?: Settlement | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'Move under another parent of the same level as the old one' })
  @OptionalNotNull()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ description: 'Move under another parent, by code' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 64)
  parentCode?: string;
}

export class OrgUnitListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: OrgLevel })
  @IsOptional()
  @IsEnum(OrgLevel)
  level?: OrgLevel;

  @ApiPropertyOptional({ format: 'uuid', description: 'Direct children of this unit' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'This unit and its whole subtree' })
  @IsOptional()
  @IsUUID()
  under?: string;

  @ApiPropertyOptional({ description: 'Name or code contains (case-insensitive)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  pilot?: boolean;
}

export class OrgUnitView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ nullable: true, type: String })
  nameEn!: string | null;
  @ApiProperty({ enum: OrgLevel })
  level!: OrgLevel;
  @ApiProperty({ type: LabelView })
  levelLabel!: LabelView;
  @ApiProperty({ enum: Settlement, nullable: true })
  settlement!: Settlement | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  parentId!: string | null;
  @ApiProperty()
  pilot!: boolean;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class OrgUnitPage extends PageInfo {
  @ApiProperty({ type: [OrgUnitView] })
  items!: OrgUnitView[];
}

export function toOrgUnitView(unit: OrgUnit): OrgUnitView {
  return {
    id: unit.id,
    code: unit.code,
    name: unit.name,
    nameEn: unit.nameEn ?? null,
    level: unit.level,
    levelLabel: ORG_LEVEL_LABELS[unit.level],
    settlement: unit.settlement ?? null,
    parentId: unit.parent?.id ?? null,
    pilot: unit.pilot,
    createdAt: unit.createdAt,
    updatedAt: unit.updatedAt,
  };
}
