import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Account } from '@sc/core/identity/entities/account.entity';
import { RoleAssignment } from '@sc/core/identity/entities/role-assignment.entity';
import { Role, ROLE_LABELS } from '@sc/core/identity/roles';
import { LabelView } from './role.view';

export class RoleGrantView {
  @ApiProperty({ format: 'uuid', description: 'Grant id, for DELETE /accounts/:id/roles/:grantId' })
  id!: string;
  @ApiProperty({ enum: Role })
  role!: Role;
  @ApiProperty({ type: LabelView })
  label!: LabelView;
  @ApiPropertyOptional({ format: 'uuid' })
  orgUnitId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  compoundId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  companyId?: string;
  @ApiPropertyOptional({ description: 'Name of the anchor unit, compound or company' })
  anchorName?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  grantedById?: string;
  @ApiProperty()
  createdAt!: Date;
}

/** An account as the API shows it: never its password hash. */
export class AccountView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  username!: string;
  @ApiProperty()
  displayName!: string;
  @ApiProperty()
  active!: boolean;
  @ApiProperty({ type: [RoleGrantView] })
  roles!: RoleGrantView[];
  @ApiPropertyOptional({ format: 'uuid' })
  gridWorkerId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  partyMemberId?: string;
  @ApiPropertyOptional()
  lastLoginAt?: Date;
  @ApiProperty()
  createdAt!: Date;
  @ApiProperty()
  updatedAt!: Date;
}

export class AccountPage {
  @ApiProperty({ type: [AccountView] })
  items!: AccountView[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export function toGrantView(grant: RoleAssignment): RoleGrantView {
  return {
    id: grant.id,
    role: grant.role,
    label: ROLE_LABELS[grant.role],
    orgUnitId: grant.orgUnit?.id,
    compoundId: grant.compound?.id,
    companyId: grant.propertyCompany?.id,
    anchorName: grant.orgUnit?.name ?? grant.compound?.name ?? grant.propertyCompany?.name,
    grantedById: grant.grantedBy?.id,
    createdAt: grant.createdAt,
  };
}

export function toAccountView(account: Account): AccountView {
  return {
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    active: account.active,
    roles: account.roles
      .getItems()
      .map(toGrantView)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id)),
    gridWorkerId: account.gridWorker?.id,
    partyMemberId: account.partyMember?.id,
    lastLoginAt: account.lastLoginAt,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}
