import { Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { PropertyCompany } from '../org/entities/property-company.entity';
import { DomainError } from '../shared/domain-error';
import { findVisibleAccount } from './account-access';
import { Anchor, anchorOfGrant, anchorWithinScope } from './anchor-scope';
import { Account } from './entities/account.entity';
import { anchorKeyOf, RoleAssignment } from './entities/role-assignment.entity';
import { assertPermission, isAdmin, Principal } from './principal';
import { Permission, Role, ROLE_ANCHORS } from './roles';

export interface GrantInput {
  role: Role;
  orgUnitId?: string;
  compoundId?: string;
  companyId?: string;
}

const ANCHOR_FIELDS = ['orgUnitId', 'compoundId', 'companyId'] as const;
type AnchorField = (typeof ANCHOR_FIELDS)[number];

export const OUTSIDE_SCOPE = "role assigned outside the assigner's scope";

/** Granting and revoking roles; the anchor must lie inside the assigner's scope. */
@Injectable()
export class RoleGrantsService {
  constructor(private readonly em: EntityManager) {}

  async grant(principal: Principal, accountId: string, input: GrantInput): Promise<RoleAssignment> {
    assertPermission(principal, Permission.AccountsWrite);
    try {
      return await this.em.transactional(async (em) => {
        const account = await findVisibleAccount(em, principal.scope, accountId);
        return this.addGrant(em, principal, account, input);
      });
    } catch (error: unknown) {
      // Two concurrent identical grants: the second loses at the unique index.
      if (error instanceof UniqueConstraintViolationException) throw DomainError.conflict('the account already holds this role here', 'role');
      throw error;
    }
  }

  /**
   * Checks one grant and adds it to `account` inside the caller's transaction (account creation
   * uses it for the initial roles). `field` prefixes the names in validation errors.
   */
  async addGrant(em: EntityManager, principal: Principal, account: Account, input: GrantInput, field = ''): Promise<RoleAssignment> {
    const anchor = await this.resolveAnchor(em, input, field);
    if (input.role === Role.Admin && !isAdmin(principal)) throw DomainError.forbidden('only administrators grant the admin role');
    if (!(await anchorWithinScope(em, principal.scope, anchor))) throw DomainError.forbidden(OUTSIDE_SCOPE);

    const anchorRefs = {
      orgUnit: anchor.kind === 'unit' ? anchor.unit : undefined,
      compound: anchor.kind === 'compound' ? anchor.compound : undefined,
      propertyCompany: anchor.kind === 'company' ? anchor.company : undefined,
    };
    const key = anchorKeyOf(anchorRefs);
    const duplicate = account.roles.isInitialized()
      ? account.roles.getItems().some((r) => r.role === input.role && anchorKeyOf(r) === key)
      : (await em.count(RoleAssignment, { account, role: input.role, anchorKey: key })) > 0;
    if (duplicate) throw DomainError.conflict(`the account already holds ${input.role} here`, `${field}role`);

    const grant = em.create(RoleAssignment, {
      account,
      role: input.role,
      ...anchorRefs,
      grantedBy: principal.kind === 'account' ? em.getReference(Account, principal.id) : undefined,
    });
    await em.flush();
    return grant;
  }

  async revoke(principal: Principal, accountId: string, grantId: string): Promise<void> {
    assertPermission(principal, Permission.AccountsWrite);
    await this.em.transactional(async (em) => {
      const account = await findVisibleAccount(em, principal.scope, accountId);
      const grant = account.roles.getItems().find((r) => r.id === grantId);
      if (!grant) throw DomainError.notFound('role grant', grantId);
      if (grant.role === Role.Admin && !isAdmin(principal)) throw DomainError.forbidden('only administrators revoke the admin role');
      if (!(await anchorWithinScope(em, principal.scope, anchorOfGrant(grant)))) {
        throw DomainError.forbidden("role revoked outside the assigner's scope");
      }
      const adminGrants = account.roles.getItems().filter((r) => r.role === Role.Admin);
      if (grant.role === Role.Admin && account.id === principal.id && adminGrants.length === 1) {
        // Otherwise the system can end up with nobody able to grant admin again.
        throw new DomainError('state', 'you cannot revoke your own last admin grant');
      }
      em.remove(grant);
    });
  }

  /** Which anchor the role needs (ROLE_ANCHORS), loaded; 400 naming the field when it does not fit. */
  private async resolveAnchor(em: EntityManager, input: GrantInput, field: string): Promise<Anchor> {
    if (input.role === Role.CompanySystem) {
      throw DomainError.validation('company_system is held by API keys only, not by accounts', `${field}role`);
    }
    const spec = ROLE_ANCHORS[input.role];
    const needed: AnchorField | undefined =
      spec.kind === 'unit' ? 'orgUnitId' : spec.kind === 'compound' ? 'compoundId' : spec.kind === 'company' ? 'companyId' : undefined;
    for (const other of ANCHOR_FIELDS) {
      if (other !== needed && input[other] !== undefined) {
        throw DomainError.validation(`${input.role} takes ${needed ?? 'no anchor'}, not ${other}`, `${field}${other}`);
      }
    }
    if (needed === undefined) return { kind: 'system' };
    const id = input[needed];
    if (id === undefined) throw DomainError.validation(`${input.role} needs ${needed}`, `${field}${needed}`);

    if (spec.kind === 'unit') {
      const unit = await em.findOne(OrgUnit, { id });
      if (!unit) throw DomainError.notFound('org unit', id, `${field}orgUnitId`);
      if (unit.level !== spec.level) {
        throw DomainError.validation(`${input.role} needs an org unit of level ${spec.level}, not ${unit.level}`, `${field}orgUnitId`);
      }
      return { kind: 'unit', unit };
    }
    if (spec.kind === 'compound') {
      const compound = await em.findOne(Compound, { id }, { populate: ['community'] });
      if (!compound) throw DomainError.notFound('compound', id, `${field}compoundId`);
      return { kind: 'compound', compound };
    }
    const company = await em.findOne(PropertyCompany, { id });
    if (!company) throw DomainError.notFound('property company', id, `${field}companyId`);
    return { kind: 'company', company };
  }
}
