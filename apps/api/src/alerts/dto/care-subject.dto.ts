import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsNumber, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { MAX_WATCHED_DEVICES } from '@sc/core/alerts/care/care-subjects.service';
import { OptionalNotNull, PageQueryDto, QueryBoolean } from '../../http/common.dto';

const nullable = () => ValidateIf((_object: object, value: unknown) => value !== null && value !== undefined);

export class CreateCareSubjectDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  communityId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The grid whose worker visits; default: the devices\' grid' })
  @IsOptional()
  @IsUUID()
  gridId?: string;

  @ApiProperty({ example: '3栋2单元 独居老人A', description: 'A label for the household; never a name' })
  @IsString()
  @Length(1, 100)
  alias!: string;

  @ApiPropertyOptional({ description: 'A resident identifier (ID or resident number): stored only as a keyed pseudonym' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  residentId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 168, example: 24, description: 'Silence that raises the alert; default: the care-watch rule of the community (24 h)' })
  @IsOptional()
  @IsNumber()
  quietHours?: number;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Door contacts and water meters of the same community' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WATCHED_DEVICES)
  @IsUUID('all', { each: true })
  deviceIds!: string[];
}

export class UpdateCareSubjectDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @nullable()
  @IsUUID()
  compoundId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @nullable()
  @IsUUID()
  gridId?: string | null;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, 100)
  alias?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null removes the pseudonym' })
  @nullable()
  @IsString()
  @Length(1, 64)
  residentId?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 168 })
  @OptionalNotNull()
  @IsNumber()
  quietHours?: number;

  @ApiPropertyOptional({ description: 'false pauses the watch (e.g. the resident is in hospital)' })
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WATCHED_DEVICES)
  @IsUUID('all', { each: true })
  deviceIds?: string[];
}

export class ListCareSubjectsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  active?: boolean;
}
