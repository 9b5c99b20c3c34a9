import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, ROLE_ANCHORS, ROLE_LABELS, ROLE_PERMISSIONS } from '@sc/core/identity/roles';
import { Authenticated } from '../auth/auth.decorators';
import { RoleView } from './dto/role.view';

const ANCHOR_FIELD = { system: null, unit: 'orgUnitId', company: 'companyId', compound: 'compoundId' } as const;

/** The role catalogue is the same for everyone, so any authenticated principal may read it. */
const ROLE_CATALOGUE: RoleView[] = Object.values(Role).map((role) => {
  const anchor = ROLE_ANCHORS[role];
  return {
    role,
    label: ROLE_LABELS[role],
    anchor: { kind: anchor.kind, level: anchor.kind === 'unit' ? anchor.level : undefined, field: ANCHOR_FIELD[anchor.kind] },
    grantable: role !== Role.CompanySystem,
    permissions: [...ROLE_PERMISSIONS[role]],
  };
});

@ApiTags('accounts 账号')
@Controller('roles')
export class RolesController {
  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Roles with zh-CN / English labels and the anchor each needs (角色目录)' })
  @ApiOkResponse({ type: [RoleView] })
  list(): RoleView[] {
    return ROLE_CATALOGUE;
  }
}
