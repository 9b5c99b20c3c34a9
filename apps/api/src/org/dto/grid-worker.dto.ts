import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { GridWorker } from '@sc/core/org/entities/grid-worker.entity';
import { OptionalNotNull, PageInfo, PageQueryDto, QueryBoolean } from '../../http/common.dto';

export class CreateGridWorkerDto {
  @ApiProperty({ example: 'HN-GW-0001', description: 'Staff number (工号), unique' })
  @IsString()
  @Length(1, 64)
  code!: string;

  @ApiProperty({ example: '王芳' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A grid-level unit in your scope (or give gridCode)' })
  @IsOptional()
  @IsUUID()
  gridId?: string;

  @ApiPropertyOptional({ example: 'HN-TJA-DS-JL-G01' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  gridCode?: string;

  @ApiPropertyOptional({ default: true, description: 'Full-time (专职) grid worker' })
  @IsOptional()
  @IsBoolean()
  fullTime?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateGridWorkerDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  fullTime?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Move to another grid in your scope' })
  @OptionalNotNull()
  @IsUUID()
  gridId?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 64)
  gridCode?: string;
}

export class GridWorkerListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  gridId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Workers of grids under this unit' })
  @IsOptional()
  @IsUUID()
  under?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Name or staff number contains' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class GridWorkerView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ format: 'uuid' })
  gridId!: string;
  @ApiProperty()
  fullTime!: boolean;
  @ApiProperty()
  active!: boolean;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class GridWorkerPage extends PageInfo {
  @ApiProperty({ type: [GridWorkerView] })
  items!: GridWorkerView[];
}

export function toGridWorkerView(worker: GridWorker): GridWorkerView {
  return {
    id: worker.id,
    code: worker.code,
    name: worker.name,
    gridId: worker.grid.id,
    fullTime: worker.fullTime,
    active: worker.active,
    createdAt: worker.createdAt,
    updatedAt: worker.updatedAt,
  };
}
