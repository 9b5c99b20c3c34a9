import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';
import { Compound } from './entities/compound.entity';
import { OrgUnit } from './entities/org-unit.entity';
import { hasCompoundReach, unitVisible } from './org-access';
import { isUuid, outsideScope } from './org-errors';
import { compoundScopeFilter, Scope } from './scope';

/**
 * An org unit named in a list filter (`under`, `communityId`). A filter aimed outside the
 * caller's scope is refused with 403 rather than answered with an empty page, so a client
 * cannot mistake "not yours" for "nothing there". Committee members and company staff may
 * filter by a unit that holds one of their compounds.
 */
export async function findFilterUnit(em: EntityManager, scope: Scope, id: string, field: string): Promise<OrgUnit> {
  const unit = isUuid(id) ? await em.findOne(OrgUnit, { id }) : null;
  if (!unit) throw DomainError.notFound('org unit', id, field);
  if (unitVisible(scope, unit)) return unit;
  if (hasCompoundReach(scope)) {
    const reachable = await em.count(Compound, {
      $and: [compoundScopeFilter(scope) as FilterQuery<Compound>, { community: { path: { $like: `${unit.path}%` } } }],
    });
    if (reachable > 0) return unit;
  }
  throw outsideScope(`org unit ${unit.code}`, field);
}

/** Compounds reached through org subtrees or committee seats, not through a company. */
export function compoundsByUnitOrSeat(scope: Scope): FilterQuery<Compound> | undefined {
  const or: FilterQuery<Compound>[] = scope.unitPaths.map((prefix) => ({ community: { path: { $like: `${prefix}%` } } }));
  if (scope.compoundIds.length > 0) or.push({ id: { $in: [...scope.compoundIds] } });
  return or.length > 0 ? { $or: or } : undefined;
}
