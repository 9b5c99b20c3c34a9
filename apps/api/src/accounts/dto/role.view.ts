import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrgLevel } from '@sc/core/org/org-level';
import { Permission, Role } from '@sc/core/identity/roles';

export class LabelView {
  @ApiProperty({ example: '社区工作者' })
  zh!: string;
  @ApiProperty({ example: 'Community worker' })
  en!: string;
}

export class RoleAnchorView {
  @ApiProperty({ enum: ['system', 'unit', 'company', 'compound'] })
  kind!: 'system' | 'unit' | 'company' | 'compound';
  @ApiPropertyOptional({ enum: OrgLevel, description: 'For unit roles: the level the anchor unit must have' })
  level?: OrgLevel;
  @ApiProperty({ enum: ['orgUnitId', 'compoundId', 'companyId'], nullable: true, description: 'Body field that carries the anchor' })
  field!: 'orgUnitId' | 'compoundId' | 'companyId' | null;
}

export class RoleView {
  @ApiProperty({ enum: Role })
  role!: Role;
  @ApiProperty({ type: LabelView })
  label!: LabelView;
  @ApiProperty({ type: RoleAnchorView })
  anchor!: RoleAnchorView;
  @ApiProperty({ description: 'False for roles held by API keys only' })
  grantable!: boolean;
  @ApiProperty({ enum: Permission, isArray: true })
  permissions!: Permission[];
}
