import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';

/**
 * Placement by id or by code; give one of each pair. On PATCH, null in a pair clears the
 * compound, building or grid. Containment (compound in the community, building in the compound,
 * grid in the community) is checked by the registry and named in a 400.
 */
export class DevicePlacementDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Community (社区/村); or communityCode' })
  @IsOptional()
  @IsUUID()
  communityId?: string;

  @ApiPropertyOptional({ example: 'jinli', description: 'Community code; also the siteId of the MQTT topics' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  communityCode?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Compound (小区) of that community' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  compoundId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @Length(1, 64)
  compoundCode?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Building (楼栋) of that compound' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  buildingId?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'Building code, unique within its compound (needs the compound)' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @Length(1, 64)
  buildingCode?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Grid (网格) of that community; defaults to the building\'s grid' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  gridId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @Length(1, 64)
  gridCode?: string | null;
}
