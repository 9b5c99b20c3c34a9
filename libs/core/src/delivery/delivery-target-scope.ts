import { EntityManager } from '@mikro-orm/knex';
import { ObjectQuery } from '@mikro-orm/core';
import { Principal } from '../identity/principal';
import { Account } from '../identity/entities/account.entity';
import { RoleAssignment } from '../identity/entities/role-assignment.entity';
import { GridWorker } from '../org/entities/grid-worker.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { PropertyCompany } from '../org/entities/property-company.entity';
import { Compound } from '../org/entities/compound.entity';
import { isUuid, outsideScope } from '../org/org-errors';
import { companyInScope, unitInScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { DeliveryOwnerKind, DeliveryTarget } from './entities/delivery-target.entity';

/** Where a target's owner sits: what scopes reach it. */
export interface OwnerAnchor {
  unitPath?: string;
  companyId?: string;
}

/**
 * The scope rules of delivery targets: a grid worker's or unit's target belongs to the unit
 * subtree it sits in, a company's to that company's staff, an account's to the unit or company
 * of its first role (and always to the account itself). Administrators see all.
 */
export function targetVisible(principal: Principal, target: Pick<DeliveryTarget, 'ownerKind' | 'ownerId' | 'unitPath' | 'companyId'>): boolean {
  const scope = principal.scope;
  if (scope.all) return true;
  if (target.unitPath && unitInScope(scope, { path: target.unitPath })) return true;
  if (target.companyId && companyInScope(scope, target.companyId)) return true;
  return target.ownerKind === 'account' && target.ownerId === principal.id;
}

/** The same rule as a where-clause, for lists. */
export function targetScopeFilter(principal: Principal): ObjectQuery<DeliveryTarget> {
  const scope = principal.scope;
  if (scope.all) return {};
  const or: ObjectQuery<DeliveryTarget>[] = [
    ...scope.unitPaths.map((prefix) => ({ unitPath: { $like: `${prefix}%` } })),
    ...(scope.companyIds.length > 0 ? [{ companyId: { $in: [...scope.companyIds] } }] : []),
    { ownerKind: 'account' as const, ownerId: principal.id },
  ];
  return { $or: or };
}

/** Finds the owner, checks it is the caller's to target, and returns where it sits. */
export async function resolveOwner(em: EntityManager, principal: Principal, kind: DeliveryOwnerKind, ownerId: string): Promise<OwnerAnchor> {
  if (!isUuid(ownerId)) throw DomainError.validation('ownerId must be a UUID', 'ownerId');
  const anchor = await anchorOf(em, kind, ownerId);
  if (!targetVisible(principal, { ownerKind: kind, ownerId, ...anchor })) throw outsideScope(`${kind} ${ownerId}`, 'ownerId');
  return anchor;
}

async function anchorOf(em: EntityManager, kind: DeliveryOwnerKind, ownerId: string): Promise<OwnerAnchor> {
  const missing = () => DomainError.validation(`no ${kind.replace('_', ' ')} with id ${ownerId}`, 'ownerId');
  switch (kind) {
    case 'grid_worker': {
      const worker = await em.findOne(GridWorker, { id: ownerId }, { populate: ['grid'] });
      if (!worker) throw missing();
      return { unitPath: worker.grid.path };
    }
    case 'unit': {
      const unit = await em.findOne(OrgUnit, { id: ownerId });
      if (!unit) throw missing();
      return { unitPath: unit.path };
    }
    case 'company': {
      if ((await em.count(PropertyCompany, { id: ownerId })) === 0) throw missing();
      return { companyId: ownerId };
    }
    case 'account': {
      const account = await em.findOne(Account, { id: ownerId }, { populate: ['gridWorker.grid'] });
      if (!account) throw missing();
      return accountAnchor(em, account);
    }
  }
}

/** An account sits where its roles are: the first unit role, else its grid, else a compound's community, else its company. */
async function accountAnchor(em: EntityManager, account: Account): Promise<OwnerAnchor> {
  const grants = await em.find(RoleAssignment, { account: account.id }, { populate: ['orgUnit', 'compound'], orderBy: { createdAt: 'asc' } });
  const unit = grants.find((g) => g.orgUnit)?.orgUnit;
  const companyId = grants.find((g) => g.propertyCompany)?.propertyCompany?.id;
  if (unit) return { unitPath: unit.path, companyId };
  if (account.gridWorker) return { unitPath: account.gridWorker.grid.path, companyId };
  const compound = grants.find((g) => g.compound)?.compound;
  if (compound) {
    const withCommunity = await em.findOneOrFail(Compound, { id: compound.id }, { populate: ['community'] });
    return { unitPath: withCommunity.community.path, companyId };
  }
  return { companyId };
}
