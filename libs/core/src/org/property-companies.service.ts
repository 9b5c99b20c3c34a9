import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery, sql } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';
import { Compound } from './entities/compound.entity';
import { PropertyCompany } from './entities/property-company.entity';
import { anchoredAtOrAbove } from './org-access';
import { assertCode, assertText, flushOrConflict, isUuid } from './org-errors';
import { compoundsByUnitOrSeat, findFilterUnit } from './org-filters';
import { OrgLevel } from './org-level';
import { containsPattern, Page, PageQuery, pageWindow } from '../shared/paging';
import { companyInScope, Scope } from './scope';

export interface CreatePropertyCompanyInput {
  code: string;
  name: string;
  creditCode?: string | null;
  servicePhone?: string | null;
}

export interface UpdatePropertyCompanyInput {
  name?: string;
  creditCode?: string | null;
  servicePhone?: string | null;
}

export interface PropertyCompanyListQuery extends PageQuery {
  /** Companies managing a compound under this unit. */
  under?: string;
  q?: string;
}

/**
 * Property-service companies (物业服务企业). A company is seen by its own staff and systems,
 * and by officers and committee members whose compounds it manages; only administrators,
 * city and district officers register new ones.
 */
@Injectable()
export class PropertyCompaniesService {
  constructor(private readonly em: EntityManager) {}

  async create(scope: Scope, input: CreatePropertyCompanyInput): Promise<PropertyCompany> {
    if (!scope.all && !anchoredAtOrAbove(scope, OrgLevel.District)) {
      throw DomainError.forbidden('only administrators, city and district officers may register a property company');
    }
    const code = assertCode(input.code);
    const name = assertText(input.name, 'name', 200);
    const em = this.em.fork();
    if ((await em.count(PropertyCompany, { code })) > 0) throw duplicateCode(code);
    const company = em.create(PropertyCompany, {
      code,
      name,
      creditCode: optionalText(input.creditCode, 'creditCode', 32),
      servicePhone: optionalText(input.servicePhone, 'servicePhone', 32),
    });
    await flushOrConflict(em, duplicateCode(code).message, 'code');
    return company;
  }

  async get(scope: Scope, id: string): Promise<PropertyCompany> {
    const em = this.em.fork();
    const company = isUuid(id) ? await em.findOne(PropertyCompany, { id }) : null;
    if (!company || !(companyInScope(scope, company.id) || (await this.managesReachableCompound(em, scope, company.id)))) {
      throw DomainError.notFound('property company', id);
    }
    return company;
  }

  async update(scope: Scope, id: string, input: UpdatePropertyCompanyInput): Promise<PropertyCompany> {
    const em = this.em.fork();
    const company = isUuid(id) ? await em.findOne(PropertyCompany, { id }) : null;
    if (!company) throw DomainError.notFound('property company', id);
    const officerReach = scope.all || (await this.managesReachableCompound(em, scope, company.id));
    if (!officerReach) {
      if (companyInScope(scope, company.id)) throw DomainError.forbidden('company staff cannot change the company record');
      throw DomainError.notFound('property company', id);
    }
    if (input.name !== undefined) company.name = assertText(input.name, 'name', 200);
    if (input.creditCode !== undefined) company.creditCode = optionalText(input.creditCode, 'creditCode', 32);
    if (input.servicePhone !== undefined) company.servicePhone = optionalText(input.servicePhone, 'servicePhone', 32);
    await em.flush();
    return company;
  }

  async list(scope: Scope, query: PropertyCompanyListQuery): Promise<Page<PropertyCompany>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const where: FilterQuery<PropertyCompany>[] = [{}];
    if (!scope.all) {
      const reach = compoundsByUnitOrSeat(scope);
      const reachable = reach ? await this.managingCompanyIds(em, reach) : [];
      where.push({ id: { $in: [...new Set([...scope.companyIds, ...reachable])] } });
    }
    if (query.under !== undefined) {
      const root = await findFilterUnit(em, scope, query.under, 'under');
      where.push({ id: { $in: await this.managingCompanyIds(em, { community: { path: { $like: `${root.path}%` } } }) } });
    }
    if (query.q !== undefined && query.q.trim() !== '') {
      const pattern = containsPattern(query.q);
      where.push({ $or: [{ [sql.lower('name')]: { $like: pattern } }, { [sql.lower('code')]: { $like: pattern } }] });
    }
    const [items, total] = await em.findAndCount(PropertyCompany, { $and: where }, { orderBy: { code: 'asc' }, limit, offset });
    return { items, total, limit, offset };
  }

  /** Whether the company manages a compound the caller reaches through an org subtree or a committee seat. */
  private async managesReachableCompound(em: EntityManager, scope: Scope, companyId: string): Promise<boolean> {
    if (scope.all) return true;
    const reach = compoundsByUnitOrSeat(scope);
    if (!reach) return false;
    return (await em.count(Compound, { $and: [reach, { propertyCompany: companyId }] })) > 0;
  }

  private async managingCompanyIds(em: EntityManager, compounds: FilterQuery<Compound>): Promise<string[]> {
    const rows = await em
      .createQueryBuilder(Compound, 'c')
      .select('c.propertyCompany', true)
      .where({ $and: [compounds, { propertyCompany: { $ne: null } }] })
      .execute<{ propertyCompany: string }[]>('all', true);
    return rows.map((r) => r.propertyCompany);
  }
}

function optionalText(value: string | null | undefined, field: string, max: number): string | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  return assertText(value, field, max);
}

function duplicateCode(code: string): DomainError {
  return DomainError.conflict(`a property company with code ${code} already exists`, 'code');
}
