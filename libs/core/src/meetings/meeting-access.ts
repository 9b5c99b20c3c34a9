import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { hasPermission, Principal } from '../identity/principal';
import { Permission } from '../identity/roles';
import { Compound } from '../org/entities/compound.entity';
import { hasCompoundReach } from '../org/org-access';
import { isUuid } from '../org/org-errors';
import { compoundInScope, compoundScopeFilter, Scope, unitInScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { Meeting } from './entities/meeting.entity';
import { MeetingStatus } from './meeting-states';

/**
 * Who sees a meeting: the officers and workers of its community; for a meeting of one compound,
 * that compound's committee members and property company; for a community-wide meeting, the
 * committee members and companies of every compound of the community (they sit in it).
 * Who runs it: a principal with MeetingsConvene whose unit scope holds the community.
 */
export async function meetingScopeFilter(em: EntityManager, scope: Scope): Promise<FilterQuery<Meeting>> {
  if (scope.all) return {};
  const or: FilterQuery<Meeting>[] = scope.unitPaths.map((prefix) => ({ communityPath: { $like: `${prefix}%` } }));
  if (scope.compoundIds.length > 0) or.push({ compound: { $in: [...scope.compoundIds] } });
  if (scope.companyIds.length > 0) or.push({ compound: { propertyCompany: { $in: [...scope.companyIds] } } });
  const communities = await reachedCommunityIds(em, scope);
  if (communities.length > 0) or.push({ compound: null, community: { $in: communities } });
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

/** The meeting, loaded with community and compound, if the scope sees it; else 404. */
export async function findVisibleMeeting(em: EntityManager, scope: Scope, id: string): Promise<Meeting> {
  const meeting = isUuid(id) ? await em.findOne(Meeting, { id }, { populate: ['community', 'compound', 'convenerParty'] }) : null;
  if (!meeting || !(await meetingVisible(em, scope, meeting))) throw DomainError.notFound('meeting', id);
  return meeting;
}

export async function meetingVisible(em: EntityManager, scope: Scope, meeting: Meeting): Promise<boolean> {
  if (scope.all || unitInScope(scope, { path: meeting.communityPath })) return true;
  if (meeting.compound) return compoundInScope(scope, { id: meeting.compound.id, community: { path: meeting.communityPath }, propertyCompany: meeting.compound.propertyCompany });
  return (await reachedCommunityIds(em, scope)).includes(meeting.community.id);
}

export function canConvene(principal: Principal, meeting: Pick<Meeting, 'communityPath'>): boolean {
  return hasPermission(principal, Permission.MeetingsConvene) && unitInScope(principal.scope, { path: meeting.communityPath });
}

export function assertConvener(principal: Principal, meeting: Pick<Meeting, 'communityPath' | 'community'>, action: string): void {
  if (!canConvene(principal, meeting)) {
    throw DomainError.forbidden(`only a convener of community ${meeting.community.name} may ${action}`);
  }
}

/** Communities holding a compound the principal reaches as committee member or company staff. */
export async function reachedCommunityIds(em: EntityManager, scope: Scope): Promise<string[]> {
  if (!hasCompoundReach(scope)) return [];
  const seats: Scope = { all: false, unitPaths: [], compoundIds: scope.compoundIds, companyIds: scope.companyIds };
  const compounds = await em.find(Compound, compoundScopeFilter(seats) as FilterQuery<Compound>, { fields: ['community'] });
  return [...new Set(compounds.map((c) => c.community.id))];
}

export function assertStatus(meeting: Meeting, allowed: readonly MeetingStatus[], action: string): void {
  if (!allowed.includes(meeting.status)) {
    throw new DomainError('state', `cannot ${action}: meeting #${meeting.seq} is ${meeting.status}, it must be ${allowed.join(' or ')}`);
  }
}
