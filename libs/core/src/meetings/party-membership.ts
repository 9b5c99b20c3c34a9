import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { Account } from '../identity/entities/account.entity';
import { RoleAssignment } from '../identity/entities/role-assignment.entity';
import { Role } from '../identity/roles';
import { Party } from '../org/entities/party.entity';
import { PartyKind } from '../org/org-level';

/**
 * The joint-meeting parties a person represents, taken from the org hierarchy:
 * - the party of the roster entry the account is linked to (Account.partyMember);
 * - an owners' committee member (role anchored to compound K): the owners' committee of K;
 * - a residents' committee member (compound K of community C): the residents' committee of C
 *   (community-wide, or of K);
 * - property-company staff: the property-company parties of their company;
 * - a community worker of community C: the Party organisation and residents' committee of C,
 *   which they staff and for which they convene.
 */
export async function partiesOfAccount(em: EntityManager, accountId: string): Promise<Party[]> {
  const account = await em.findOne(Account, { id: accountId }, { populate: ['partyMember'] });
  if (!account) return [];
  const grants = await em.find(RoleAssignment, { account: accountId }, { populate: ['compound', 'orgUnit'] });
  const or: FilterQuery<Party>[] = [];
  if (account.partyMember) or.push({ id: account.partyMember.party.id });
  for (const grant of grants) {
    if (grant.role === Role.OwnersCommittee && grant.compound) {
      or.push({ kind: PartyKind.OwnersCommittee, compound: grant.compound.id });
    } else if (grant.role === Role.ResidentsCommittee && grant.compound) {
      or.push({ kind: PartyKind.ResidentsCommittee, community: grant.compound.community.id, $or: [{ compound: null }, { compound: grant.compound.id }] });
    } else if (grant.role === Role.PropertyStaff && grant.propertyCompany) {
      or.push({ kind: PartyKind.PropertyCompany, propertyCompany: grant.propertyCompany.id });
    } else if (grant.role === Role.CommunityWorker && grant.orgUnit) {
      or.push({ kind: { $in: [PartyKind.PartyOrganisation, PartyKind.ResidentsCommittee] }, community: grant.orgUnit.id });
    }
  }
  if (or.length === 0) return [];
  return em.find(Party, { $or: or }, { orderBy: { kind: 'asc', name: 'asc' } });
}

/** Why a person may not act for a party, or undefined when they may. */
export async function notAMemberReason(em: EntityManager, accountId: string, party: Party): Promise<string | undefined> {
  const parties = await partiesOfAccount(em, accountId);
  if (parties.some((p) => p.id === party.id)) return undefined;
  const account = await em.findOne(Account, { id: accountId });
  const who = account ? `${account.displayName} (${account.username})` : `account ${accountId}`;
  return `${who} does not belong to ${party.kind} party ${party.name}`;
}

export interface Representative {
  accountId: string;
  name: string;
}

/**
 * The inverse of partiesOfAccount: the active accounts that represent each of these parties
 * (roster links and role-derived seats, by the same rules). Parties must be of one community.
 */
export async function representativesOf(em: EntityManager, parties: readonly Party[]): Promise<Map<string, Representative[]>> {
  const result = new Map<string, Representative[]>(parties.map((p) => [p.id, []]));
  if (parties.length === 0) return result;
  const add = (partyId: string, account: Account) => {
    const list = result.get(partyId)!;
    if (!list.some((r) => r.accountId === account.id)) list.push({ accountId: account.id, name: account.displayName });
  };
  const linked = await em.find(Account, { active: true, partyMember: { party: { $in: parties.map((p) => p.id) } } }, { populate: ['partyMember'] });
  for (const account of linked) add(account.partyMember!.party.id, account);

  const communityIds = [...new Set(parties.map((p) => p.community.id))];
  const or: FilterQuery<RoleAssignment>[] = [
    { role: { $in: [Role.OwnersCommittee, Role.ResidentsCommittee] }, compound: { community: { $in: communityIds } } },
    { role: Role.CommunityWorker, orgUnit: { $in: communityIds } },
  ];
  const companies = parties.map((p) => p.propertyCompany?.id).filter((id): id is string => id !== undefined);
  if (companies.length > 0) or.push({ role: Role.PropertyStaff, propertyCompany: { $in: companies } });
  const grants = await em.find(RoleAssignment, { $or: or, account: { active: true } }, { populate: ['account', 'compound'] });
  for (const grant of grants) {
    for (const party of parties) {
      if (seatFits(grant, party)) add(party.id, grant.account);
    }
  }
  return result;
}

/** Whether a role grant seats its holder in a party (the rules of partiesOfAccount). */
function seatFits(grant: RoleAssignment, party: Party): boolean {
  switch (grant.role) {
    case Role.OwnersCommittee:
      return party.kind === PartyKind.OwnersCommittee && party.compound?.id === grant.compound?.id;
    case Role.ResidentsCommittee:
      return (
        party.kind === PartyKind.ResidentsCommittee &&
        grant.compound?.community.id === party.community.id &&
        (!party.compound || party.compound.id === grant.compound?.id)
      );
    case Role.PropertyStaff:
      return party.kind === PartyKind.PropertyCompany && party.propertyCompany?.id === grant.propertyCompany?.id;
    case Role.CommunityWorker:
      return (party.kind === PartyKind.PartyOrganisation || party.kind === PartyKind.ResidentsCommittee) && grant.orgUnit?.id === party.community.id;
    default:
      return false;
  }
}
