import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One element of `{devices: [...]}` (OpenAPI only: the registry checks each row itself). */
export class ImportDeviceRowDto {
  @ApiProperty({ example: 'jl-smoke-0001' })
  code!: string;
  @ApiProperty({ example: 'smoke' })
  type!: string;
  @ApiProperty({ example: 'jinli', description: 'Or communityId' })
  communityCode!: string;
  @ApiPropertyOptional({ example: 'jl-01' })
  compoundCode?: string;
  @ApiPropertyOptional({ example: '1', description: 'Unique within the compound' })
  buildingCode?: string;
  @ApiPropertyOptional({ description: "Defaults to the building's grid" })
  gridCode?: string;
  @ApiPropertyOptional()
  name?: string;
  @ApiPropertyOptional({ example: '1单元1楼楼道' })
  location?: string;
  @ApiPropertyOptional()
  vendor?: string;
  @ApiPropertyOptional()
  model?: string;
  @ApiPropertyOptional()
  serialNumber?: string;
}
