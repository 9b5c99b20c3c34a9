import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { Building } from '@sc/core/org/entities/building.entity';
import { OptionalNotNull, PageInfo, PageQueryDto } from '../../http/common.dto';

export class CreateBuildingDto {
  @ApiProperty({ example: '1', description: 'Unique within the compound' })
  @IsString()
  @Length(1, 64)
  code!: string;

  @ApiProperty({ example: '1号楼' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: "A grid of the compound's community (or give gridCode)" })
  @IsOptional()
  @IsUUID()
  gridId?: string;

  @ApiPropertyOptional({ example: 'HN-TJA-DS-JL-G01' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  gridCode?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  floors?: number | null;
}

export class UpdateBuildingDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'null takes the building off its grid' })
  @IsOptional()
  @IsUUID()
  gridId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  gridCode?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  floors?: number | null;
}

export class BuildingListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  gridId?: string;

  @ApiPropertyOptional({ description: 'Name or code contains (case-insensitive)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class BuildingView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ format: 'uuid' })
  compoundId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  gridId!: string | null;
  @ApiProperty({ nullable: true, type: Number })
  floors!: number | null;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class BuildingPage extends PageInfo {
  @ApiProperty({ type: [BuildingView] })
  items!: BuildingView[];
}

export function toBuildingView(building: Building): BuildingView {
  return {
    id: building.id,
    code: building.code,
    name: building.name,
    compoundId: building.compound.id,
    gridId: building.grid?.id ?? null,
    floors: building.floors ?? null,
    createdAt: building.createdAt,
    updatedAt: building.updatedAt,
  };
}
