import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { Compound } from './entities/compound.entity';
import { Party } from './entities/party.entity';
import { hasCompoundReach } from './org-access';
import { companyInScope, compoundInScope, compoundScopeFilter, Scope, unitInScope } from './scope';

/**
 * Who sees a joint-meeting party: the officers of its community; the committee members and
 * company staff of its compound; a company's own party; and, since committee members and
 * companies sit in their community's joint meeting, the community-wide parties (Party
 * organisation, residents' committee) of every community holding one of their compounds.
 */
export async function partyScopeFilter(em: EntityManager, scope: Scope): Promise<FilterQuery<Party>> {
  if (scope.all) return {};
  const or: FilterQuery<Party>[] = scope.unitPaths.map((prefix) => ({ community: { path: { $like: `${prefix}%` } } }));
  if (scope.compoundIds.length > 0) or.push({ compound: { $in: [...scope.compoundIds] } });
  if (scope.companyIds.length > 0) {
    or.push({ compound: { propertyCompany: { $in: [...scope.companyIds] } } });
    or.push({ propertyCompany: { $in: [...scope.companyIds] } });
  }
  const communities = await reachedCommunityIds(em, scope);
  if (communities.length > 0) or.push({ compound: null, community: { $in: communities } });
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

/** The same rule for one party, loaded with its community and compound (with the compound's community). */
export async function partyVisible(em: EntityManager, scope: Scope, party: Party): Promise<boolean> {
  if (scope.all || unitInScope(scope, party.community)) return true;
  if (party.compound && compoundInScope(scope, party.compound)) return true;
  if (party.propertyCompany && companyInScope(scope, party.propertyCompany.id)) return true;
  return !party.compound && (await reachedCommunityIds(em, scope)).includes(party.community.id);
}

/** Communities holding a compound the caller reaches as committee member or company staff. */
async function reachedCommunityIds(em: EntityManager, scope: Scope): Promise<string[]> {
  if (!hasCompoundReach(scope)) return [];
  const seats: Scope = { all: false, unitPaths: [], compoundIds: scope.compoundIds, companyIds: scope.companyIds };
  const rows = await em
    .createQueryBuilder(Compound, 'c')
    .select('c.community', true)
    .where({ $and: [compoundScopeFilter(seats) as FilterQuery<Compound>] })
    .execute<{ community: string }[]>('all', true);
  return rows.map((r) => r.community);
}
