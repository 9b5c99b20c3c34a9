import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery, sql } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';
import { Compound } from './entities/compound.entity';
import { OrgUnit } from './entities/org-unit.entity';
import { assertCode, assertText, flushOrConflict, isUuid, outsideScope } from './org-errors';
import { findFilterUnit } from './org-filters';
import { OrgLevel } from './org-level';
import { RefInput, refField, refFields, refGiven, resolveCompany, resolveUnit } from './org-refs';
import { containsPattern, Page, PageQuery, pageWindow } from '../shared/paging';
import { companyInScope, compoundInScope, compoundScopeFilter, Scope, unitInScope } from './scope';

export interface CreateCompoundInput {
  code: string;
  name: string;
  communityId?: string | null;
  communityCode?: string | null;
  propertyCompanyId?: string | null;
  propertyCompanyCode?: string | null;
  address?: string | null;
}

export interface UpdateCompoundInput {
  name?: string;
  address?: string | null;
  /** Another managing company; null in either field removes the company. */
  propertyCompanyId?: string | null;
  propertyCompanyCode?: string | null;
}

export interface CompoundListQuery extends PageQuery {
  communityId?: string;
  under?: string;
  propertyCompanyId?: string;
  q?: string;
}

const COMMUNITY = refFields('community');
const COMPANY = refFields('propertyCompany');

/**
 * Residential compounds (小区). Seen by officers of the subtree, by committee members of the
 * compound and by the staff of the managing company; written by officers of the subtree.
 */
@Injectable()
export class CompoundsService {
  constructor(private readonly em: EntityManager) {}

  async create(scope: Scope, input: CreateCompoundInput): Promise<Compound> {
    const code = assertCode(input.code);
    const name = assertText(input.name, 'name', 200);
    return this.em.fork().transactional(async (em) => {
      const community = await resolveCommunity(em, scope, { id: input.communityId, code: input.communityCode });
      const company = await resolveCompany(em, { id: input.propertyCompanyId, code: input.propertyCompanyCode }, COMPANY);
      if ((await em.count(Compound, { code })) > 0) throw duplicateCode(code);
      const compound = em.create(Compound, {
        code,
        name,
        community,
        propertyCompany: company,
        address: input.address?.trim() || undefined,
      });
      await flushOrConflict(em, duplicateCode(code).message, 'code');
      return compound;
    });
  }

  async get(scope: Scope, id: string): Promise<Compound> {
    return findVisibleCompound(this.em.fork(), scope, id);
  }

  async update(scope: Scope, id: string, input: UpdateCompoundInput): Promise<Compound> {
    const em = this.em.fork();
    const compound = await findVisibleCompound(em, scope, id);
    if (!unitInScope(scope, compound.community)) throw DomainError.forbidden(`compound ${compound.code} is outside your scope (read-only)`);
    if (input.name !== undefined) compound.name = assertText(input.name, 'name', 200);
    if (input.address !== undefined) compound.address = input.address?.trim() || undefined;
    const companyRef: RefInput = { id: input.propertyCompanyId, code: input.propertyCompanyCode };
    if (refGiven(companyRef)) {
      compound.propertyCompany = await resolveCompany(em, companyRef, COMPANY);
    } else if (input.propertyCompanyId === null || input.propertyCompanyCode === null) {
      compound.propertyCompany = undefined;
    }
    await em.flush();
    return compound;
  }

  async list(scope: Scope, query: CompoundListQuery): Promise<Page<Compound>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const where: FilterQuery<Compound>[] = [compoundScopeFilter(scope) as FilterQuery<Compound>];
    if (query.communityId !== undefined) {
      const community = await findFilterUnit(em, scope, query.communityId, 'communityId');
      where.push({ community: community.id });
    }
    if (query.under !== undefined) {
      const root = await findFilterUnit(em, scope, query.under, 'under');
      where.push({ community: { path: { $like: `${root.path}%` } } });
    }
    if (query.propertyCompanyId !== undefined) {
      await assertCompanyFilter(em, scope, query.propertyCompanyId);
      where.push({ propertyCompany: query.propertyCompanyId });
    }
    if (query.q !== undefined && query.q.trim() !== '') {
      const pattern = containsPattern(query.q);
      where.push({ $or: [{ [sql.lower('name')]: { $like: pattern } }, { [sql.lower('code')]: { $like: pattern } }] });
    }
    const [items, total] = await em.findAndCount(Compound, { $and: where }, { orderBy: { code: 'asc' }, limit, offset });
    return { items, total, limit, offset };
  }
}

/** Out-of-scope compounds are not found: their existence is not the caller's business. */
export async function findVisibleCompound(em: EntityManager, scope: Scope, id: string): Promise<Compound> {
  const compound = isUuid(id) ? await em.findOne(Compound, { id }, { populate: ['community'] }) : null;
  if (!compound || !compoundInScope(scope, compound)) throw DomainError.notFound('compound', id);
  return compound;
}

/** The community a new row goes into: it must exist, be a community, and be writable by the caller. */
export async function resolveCommunity(em: EntityManager, scope: Scope, ref: RefInput): Promise<OrgUnit> {
  const field = refField(ref, COMMUNITY);
  const community = await resolveUnit(em, ref, COMMUNITY, 'community');
  if (!community) throw DomainError.validation('a community is required', field);
  if (!unitInScope(scope, community)) throw outsideScope(`community ${community.code}`, field);
  if (community.level !== OrgLevel.Community) {
    throw DomainError.validation(`${community.code} is a ${community.level}, not a community`, field);
  }
  return community;
}

async function assertCompanyFilter(em: EntityManager, scope: Scope, companyId: string): Promise<void> {
  if (!isUuid(companyId)) throw DomainError.validation('propertyCompanyId must be a UUID', 'propertyCompanyId');
  if (companyInScope(scope, companyId)) return;
  const reachable = await em.count(Compound, { $and: [compoundScopeFilter(scope) as FilterQuery<Compound>, { propertyCompany: companyId }] });
  if (reachable === 0) throw outsideScope('the property company', 'propertyCompanyId');
}

function duplicateCode(code: string): DomainError {
  return DomainError.conflict(`a compound with code ${code} already exists`, 'code');
}
