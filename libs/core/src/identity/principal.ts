import { Scope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { Permission, Role, ROLE_PERMISSIONS } from './roles';

export interface RoleGrant {
  role: Role;
  orgUnitId?: string;
  /** Materialised path of the anchor unit, for unit roles. */
  orgUnitPath?: string;
  compoundId?: string;
  companyId?: string;
}

/** Who is acting: a logged-in account or a company system's API key, with its scope. */
export interface Principal {
  kind: 'account' | 'api_key';
  id: string;
  name: string;
  grants: readonly RoleGrant[];
  permissions: ReadonlySet<Permission>;
  scope: Scope;
}

export function principalFrom(kind: Principal['kind'], id: string, name: string, grants: RoleGrant[]): Principal {
  const permissions = new Set<Permission>(grants.flatMap((g) => ROLE_PERMISSIONS[g.role]));
  const all = grants.some((g) => g.role === Role.Admin);
  const scope: Scope = {
    all,
    unitPaths: unique(grants.flatMap((g) => (g.orgUnitPath ? [g.orgUnitPath] : []))),
    compoundIds: unique(grants.flatMap((g) => (g.compoundId ? [g.compoundId] : []))),
    companyIds: unique(grants.flatMap((g) => (g.companyId ? [g.companyId] : []))),
  };
  return { kind, id, name, grants, permissions, scope };
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}

/** Domain services check again what the route guard checked: they are called from more than HTTP. */
export function assertPermission(principal: Principal, permission: Permission): void {
  if (!hasPermission(principal, permission)) throw DomainError.forbidden(`this action needs the permission ${permission}`);
}

export function isAdmin(principal: Principal): boolean {
  return principal.grants.some((g) => g.role === Role.Admin);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
