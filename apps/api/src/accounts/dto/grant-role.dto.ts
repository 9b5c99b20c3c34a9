import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { Role } from '@sc/core/identity/roles';

/** A role and its anchor; GET /roles tells which anchor each role needs. */
export class GrantRoleDto {
  @ApiProperty({ enum: Role, example: Role.CommunityWorker })
  @IsEnum(Role)
  role!: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Org unit of exactly the role\'s level (officers, community and grid workers)' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Compound (owners' and residents' committee members)" })
  @IsOptional()
  @IsUUID()
  compoundId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Property company (property-company staff)' })
  @IsOptional()
  @IsUUID()
  companyId?: string;
}
