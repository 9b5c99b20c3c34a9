import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';
import { Compound } from './entities/compound.entity';
import { Party } from './entities/party.entity';
import { PartyMember } from './entities/party-member.entity';
import { PropertyCompany } from './entities/property-company.entity';
import { resolveCommunity } from './compounds.service';
import { assertText, flushOrConflict, isUuid, outsideScope } from './org-errors';
import { findFilterUnit } from './org-filters';
import { PartyKind } from './org-level';
import { RefInput, refField, refFields, refGiven, resolveCompany, resolveCompound } from './org-refs';
import { Page, PageQuery, pageWindow } from '../shared/paging';
import { partyScopeFilter, partyVisible } from './party-access';
import { compoundInScope, Scope, unitInScope } from './scope';

export interface PartyMemberInput {
  name: string;
  title?: string | null;
}

export interface CreatePartyInput {
  kind: PartyKind;
  name: string;
  /** The community; may be left out when a compound is given. */
  communityId?: string | null;
  communityCode?: string | null;
  compoundId?: string | null;
  compoundCode?: string | null;
  /** Required for, and only for, a party of kind property_company. */
  propertyCompanyId?: string | null;
  propertyCompanyCode?: string | null;
  members?: PartyMemberInput[];
}

export interface PartyListQuery extends PageQuery {
  communityId?: string;
  compoundId?: string;
  under?: string;
  kind?: PartyKind;
}

/** A party with its representatives. */
export interface PartyWithMembers {
  party: Party;
  members: PartyMember[];
}

const COMMUNITY = refFields('community');
const COMPOUND = refFields('compound');
const COMPANY = refFields('propertyCompany');

/**
 * The four parties of the joint meeting (联席会议): Party organisation, residents' committee,
 * owners' committee and property company, per community or per compound, with their members.
 */
@Injectable()
export class PartiesService {
  constructor(private readonly em: EntityManager) {}

  async create(scope: Scope, input: CreatePartyInput): Promise<PartyWithMembers> {
    const name = assertText(input.name, 'name', 200);
    return this.em.fork().transactional(async (em) => {
      const { community, compound } = await this.placement(em, scope, input);
      const company = await this.company(em, input, compound);
      const duplicate = await em.count(Party, { community, compound: compound ?? null, kind: input.kind, name });
      if (duplicate > 0) throw DomainError.conflict(`a ${input.kind} party named ${name} already exists there`, 'name');
      const party = em.create(Party, { kind: input.kind, name, community, compound, propertyCompany: company });
      const members = (input.members ?? []).map((m, i) => em.create(PartyMember, { party, ...memberFields(m, `members.${i}.`) }));
      await flushOrConflict(em, `a ${input.kind} party named ${name} already exists there`, 'name');
      return { party, members };
    });
  }

  async get(scope: Scope, id: string): Promise<PartyWithMembers> {
    const em = this.em.fork();
    const party = await this.findVisible(em, scope, id);
    return { party, members: await this.membersOf(em, party) };
  }

  async update(scope: Scope, id: string, input: { name?: string }): Promise<PartyWithMembers> {
    const em = this.em.fork();
    const party = await this.findWritable(em, scope, id);
    if (input.name !== undefined) {
      const name = assertText(input.name, 'name', 200);
      const taken = await em.count(Party, { id: { $ne: party.id }, community: party.community, compound: party.compound ?? null, kind: party.kind, name });
      if (taken > 0) throw DomainError.conflict(`a ${party.kind} party named ${name} already exists there`, 'name');
      party.name = name;
    }
    await em.flush();
    return { party, members: await this.membersOf(em, party) };
  }

  async list(scope: Scope, query: PartyListQuery): Promise<Page<Party>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const where: FilterQuery<Party>[] = [await partyScopeFilter(em, scope)];
    if (query.communityId !== undefined) {
      const community = await findFilterUnit(em, scope, query.communityId, 'communityId');
      where.push({ community: community.id });
    }
    if (query.under !== undefined) {
      const root = await findFilterUnit(em, scope, query.under, 'under');
      where.push({ community: { path: { $like: `${root.path}%` } } });
    }
    if (query.compoundId !== undefined) {
      const compound = isUuid(query.compoundId) ? await em.findOne(Compound, { id: query.compoundId }, { populate: ['community'] }) : null;
      if (!compound) throw DomainError.notFound('compound', query.compoundId, 'compoundId');
      if (!compoundInScope(scope, compound)) throw outsideScope(`compound ${compound.code}`, 'compoundId');
      where.push({ compound: compound.id });
    }
    if (query.kind !== undefined) where.push({ kind: query.kind });
    const [items, total] = await em.findAndCount(Party, { $and: where }, { orderBy: { community: 'asc', kind: 'asc', name: 'asc' }, limit, offset });
    return { items, total, limit, offset };
  }

  async addMember(scope: Scope, partyId: string, input: PartyMemberInput): Promise<PartyMember> {
    const em = this.em.fork();
    const party = await this.findWritable(em, scope, partyId);
    const member = em.create(PartyMember, { party, ...memberFields(input, '') });
    await em.flush();
    return member;
  }

  async listMembers(scope: Scope, partyId: string): Promise<PartyMember[]> {
    const em = this.em.fork();
    return this.membersOf(em, await this.findVisible(em, scope, partyId));
  }

  async updateMember(scope: Scope, partyId: string, memberId: string, input: { name?: string; title?: string | null }): Promise<PartyMember> {
    const em = this.em.fork();
    const party = await this.findWritable(em, scope, partyId);
    const member = isUuid(memberId) ? await em.findOne(PartyMember, { id: memberId, party }) : null;
    if (!member) throw DomainError.notFound('party member', memberId);
    if (input.name !== undefined) member.name = assertText(input.name, 'name', 100);
    if (input.title !== undefined) member.title = input.title === null || input.title.trim() === '' ? undefined : assertText(input.title, 'title', 100);
    await em.flush();
    return member;
  }

  /** The community (given, or the compound's) must be writable; a compound must lie in it. */
  private async placement(em: EntityManager, scope: Scope, input: CreatePartyInput) {
    const compoundRef: RefInput = { id: input.compoundId, code: input.compoundCode };
    const compound = await resolveCompound(em, compoundRef, COMPOUND);
    const communityRef: RefInput = { id: input.communityId, code: input.communityCode };
    if (!refGiven(communityRef)) {
      if (!compound) throw DomainError.validation('a community or a compound is required', refField(communityRef, COMMUNITY));
      if (!unitInScope(scope, compound.community)) throw outsideScope(`compound ${compound.code}`, refField(compoundRef, COMPOUND));
      return { community: compound.community, compound };
    }
    const community = await resolveCommunity(em, scope, communityRef);
    if (compound && compound.community.id !== community.id) {
      throw DomainError.validation(`compound ${compound.code} is not in community ${community.code}`, refField(compoundRef, COMPOUND));
    }
    return { community, compound };
  }

  private async company(em: EntityManager, input: CreatePartyInput, compound: Compound | undefined): Promise<PropertyCompany | undefined> {
    const ref: RefInput = { id: input.propertyCompanyId, code: input.propertyCompanyCode };
    const field = refField(ref, COMPANY);
    if (input.kind !== PartyKind.PropertyCompany) {
      if (refGiven(ref)) throw DomainError.validation(`only a property_company party names a property company`, field);
      return undefined;
    }
    const company = await resolveCompany(em, ref, COMPANY);
    if (!company) throw DomainError.validation('a property_company party must name its property company', field);
    if (compound?.propertyCompany && compound.propertyCompany.id !== company.id) {
      throw DomainError.validation(`compound ${compound.code} is managed by another property company`, field);
    }
    return company;
  }

  private async findVisible(em: EntityManager, scope: Scope, id: string): Promise<Party> {
    const party = isUuid(id) ? await em.findOne(Party, { id }, { populate: ['community', 'compound.community'] }) : null;
    if (!party || !(await partyVisible(em, scope, party))) throw DomainError.notFound('party', id);
    return party;
  }

  private async findWritable(em: EntityManager, scope: Scope, id: string): Promise<Party> {
    const party = await this.findVisible(em, scope, id);
    if (!unitInScope(scope, party.community)) throw DomainError.forbidden(`party ${party.name} is outside your scope (read-only)`);
    return party;
  }

  private membersOf(em: EntityManager, party: Party): Promise<PartyMember[]> {
    return em.find(PartyMember, { party }, { orderBy: { createdAt: 'asc', name: 'asc' } });
  }
}

function memberFields(input: PartyMemberInput, prefix: string): { name: string; title?: string } {
  const title = input.title?.trim();
  return {
    name: assertText(input.name, `${prefix}name`, 100),
    title: title ? assertText(title, `${prefix}title`, 100) : undefined,
  };
}
