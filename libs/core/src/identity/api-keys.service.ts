import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { PropertyCompany } from '../org/entities/property-company.entity';
import { DomainError } from '../shared/domain-error';
import { hashToken } from '../shared/secret-hash';
import { newApiKey } from './api-key-format';
import { companiesTouchingScope, companyTouchesScope } from './anchor-scope';
import { Account } from './entities/account.entity';
import { ApiKey } from './entities/api-key.entity';
import { assertPermission, Principal } from './principal';
import { Permission, Role } from './roles';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The whole key; shown once, never stored. */
  key: string;
}

/**
 * API keys of property companies' own systems (pull API, status updates). Officers whose area
 * holds a compound of the company, or administrators, manage them.
 */
@Injectable()
export class ApiKeysService {
  constructor(private readonly em: EntityManager) {}

  async create(principal: Principal, input: { companyId: string; name: string }): Promise<CreatedApiKey> {
    assertPermission(principal, Permission.ApiKeysWrite);
    return this.em.transactional(async (em) => {
      const company = await em.findOne(PropertyCompany, { id: input.companyId });
      if (!company) throw DomainError.notFound('property company', input.companyId, 'companyId');
      if (!(await companyTouchesScope(em, principal.scope, company.id))) {
        throw DomainError.forbidden('API key for a property company outside your scope');
      }
      const { keyId, key } = newApiKey();
      const apiKey = em.create(ApiKey, {
        keyId,
        secretHash: hashToken(key),
        name: input.name.trim(),
        role: Role.CompanySystem,
        propertyCompany: company,
        createdBy: principal.kind === 'account' ? em.getReference(Account, principal.id) : undefined,
      });
      await em.flush();
      return { apiKey, key };
    });
  }

  /** Keys of one company, or of every company in scope; revoked ones included, with their date. */
  async list(principal: Principal, query: { companyId?: string }): Promise<ApiKey[]> {
    assertPermission(principal, Permission.ApiKeysWrite);
    const em = this.em.fork();
    let companies: string[] | undefined;
    if (query.companyId !== undefined) {
      if (!(await companyTouchesScope(em, principal.scope, query.companyId))) {
        throw DomainError.notFound('property company', query.companyId, 'companyId');
      }
      companies = [query.companyId];
    } else if (!principal.scope.all) {
      companies = await companiesTouchingScope(em, principal.scope);
    }
    return em.find(ApiKey, companies ? { propertyCompany: { $in: companies } } : {}, {
      populate: ['propertyCompany'],
      orderBy: { createdAt: 'desc', id: 'asc' },
    });
  }

  /** Revoked keys fail at their next request: the key is looked up on every call. */
  async revoke(principal: Principal, id: string): Promise<void> {
    assertPermission(principal, Permission.ApiKeysWrite);
    await this.em.transactional(async (em) => {
      const apiKey = await em.findOne(ApiKey, { id });
      if (!apiKey || !(await companyTouchesScope(em, principal.scope, apiKey.propertyCompany.id))) {
        throw DomainError.notFound('API key', id);
      }
      apiKey.revokedAt ??= new Date();
    });
  }
}
