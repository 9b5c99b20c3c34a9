import { unitInScope } from '../org/scope';
import { principalFrom } from './principal';
import { Permission, Role } from './roles';

describe('principalFrom', () => {
  it('unions the scopes and permissions of every grant an account holds', () => {
    const principal = principalFrom('account', 'acc-1', 'wang', [
      { role: Role.GridWorker, orgUnitId: 'g1', orgUnitPath: '/c/d/s/m/g1/' },
      { role: Role.CommunityWorker, orgUnitId: 'm2', orgUnitPath: '/c/d/s/m2/' },
      { role: Role.OwnersCommittee, compoundId: 'cp1' },
      { role: Role.PropertyStaff, companyId: 'pc1' },
      { role: Role.ResidentsCommittee, compoundId: 'cp1' },
    ]);
    expect(principal.scope).toEqual({
      all: false,
      unitPaths: ['/c/d/s/m/g1/', '/c/d/s/m2/'],
      compoundIds: ['cp1'],
      companyIds: ['pc1'],
    });
    // Community worker brings write permissions, property staff devices:write, the grid role only reads.
    expect(principal.permissions.has(Permission.AccountsWrite)).toBe(true);
    expect(principal.permissions.has(Permission.DevicesWrite)).toBe(true);
    expect(principal.permissions.has(Permission.ApiKeysWrite)).toBe(false);
    expect(unitInScope(principal.scope, { path: '/c/d/s/m2/g9/' })).toBe(true);
    expect(unitInScope(principal.scope, { path: '/c/d/s/m/' })).toBe(false);
  });

  it('gives the whole system to an administrator, and nothing to a principal without grants', () => {
    const admin = principalFrom('account', 'root', 'admin', [{ role: Role.Admin }, { role: Role.StreetOfficer, orgUnitPath: '/c/d/s/' }]);
    expect(admin.scope.all).toBe(true);
    expect([...admin.permissions].sort()).toEqual(Object.values(Permission).sort());
    const nobody = principalFrom('account', 'x', 'x', []);
    expect(nobody.scope).toEqual({ all: false, unitPaths: [], compoundIds: [], companyIds: [] });
    expect(nobody.permissions.size).toBe(0);
  });
});
