import { Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { GridWorker } from '../org/entities/grid-worker.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { PartyMember } from '../org/entities/party-member.entity';
import { compoundInScope, Scope, unitInScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { hashPassword, verifyPassword } from '../shared/secret-hash';
import { ACCOUNT_POPULATE, assertManageable, findVisibleAccount } from './account-access';
import { visibleGrantFilter } from './anchor-scope';
import { checkPassword, normaliseUsername } from './credential-policy';
import { Account } from './entities/account.entity';
import { assertPermission, Principal } from './principal';
import { GrantInput, RoleGrantsService } from './role-grants.service';
import { Permission } from './roles';

export interface CreateAccountInput {
  username: string;
  displayName: string;
  password: string;
  roles: GrantInput[];
  gridWorkerId?: string;
  partyMemberId?: string;
}

/** `null` unlinks; absent leaves the field as it is. */
export interface UpdateAccountInput {
  displayName?: string;
  gridWorkerId?: string | null;
  partyMemberId?: string | null;
}

export interface AccountListQuery {
  limit: number;
  offset: number;
  /** Part of the username or display name. */
  q?: string;
  /** Only accounts with a role inside this unit's subtree (which must be in scope). */
  orgUnitId?: string;
}

/** Accounts of people: created, changed and listed within the principal's scope. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly em: EntityManager,
    private readonly grants: RoleGrantsService,
  ) {}

  async create(principal: Principal, input: CreateAccountInput): Promise<Account> {
    assertPermission(principal, Permission.AccountsWrite);
    const username = normaliseUsername(input.username);
    checkPassword(input.password, 'password');
    if (input.roles.length === 0) throw DomainError.validation('an account needs at least one role', 'roles');
    // Hashed before the transaction opens: scrypt is slow, and SQLite has a single writer.
    const passwordHash = await hashPassword(input.password);
    try {
      const id = await this.em.transactional(async (em) => {
        if ((await em.count(Account, { username })) > 0) throw DomainError.conflict(`username ${username} is taken`, 'username');
        const account = em.create(Account, { username, displayName: input.displayName.trim(), passwordHash });
        for (const [i, grant] of input.roles.entries()) {
          await this.grants.addGrant(em, principal, account, grant, `roles.${i}.`);
        }
        await this.link(em, principal.scope, account, input);
        await em.flush();
        return account.id;
      });
      return await this.get(principal, id);
    } catch (error: unknown) {
      // A concurrent create of the same username loses at the unique index.
      if (error instanceof UniqueConstraintViolationException) throw DomainError.conflict(`username ${username} is taken`, 'username');
      throw error;
    }
  }

  async get(principal: Principal, id: string): Promise<Account> {
    assertPermission(principal, Permission.AccountsRead);
    return findVisibleAccount(this.em.fork(), principal.scope, id);
  }

  async list(principal: Principal, query: AccountListQuery): Promise<{ items: Account[]; total: number }> {
    assertPermission(principal, Permission.AccountsRead);
    const em = this.em.fork();
    const where: Record<string, unknown>[] = [];
    const grantFilter = await visibleGrantFilter(em, principal.scope);
    if (grantFilter) where.push({ roles: { $some: grantFilter } });
    if (query.orgUnitId !== undefined) {
      const unit = await em.findOne(OrgUnit, { id: query.orgUnitId });
      if (!unit || !unitInScope(principal.scope, unit)) throw DomainError.notFound('org unit', query.orgUnitId, 'orgUnitId');
      const subtree: Scope = { all: false, unitPaths: [unit.path], compoundIds: [], companyIds: [] };
      where.push({ roles: { $some: await visibleGrantFilter(em, subtree) } });
    }
    // Wildcards typed by the user are dropped: LIKE escaping differs between the two databases.
    const q = query.q?.replace(/[%_\\]/g, '').trim();
    if (q) where.push({ $or: [{ username: { $like: `%${q.toLowerCase()}%` } }, { displayName: { $like: `%${q}%` } }] });
    const [items, total] = await em.findAndCount(Account, where.length > 0 ? { $and: where } : {}, {
      populate: [...ACCOUNT_POPULATE],
      orderBy: { username: 'asc' },
      limit: query.limit,
      offset: query.offset,
    });
    return { items, total };
  }

  async update(principal: Principal, id: string, input: UpdateAccountInput): Promise<Account> {
    assertPermission(principal, Permission.AccountsWrite);
    await this.em.transactional(async (em) => {
      const account = await findVisibleAccount(em, principal.scope, id);
      await assertManageable(em, principal.scope, account);
      if (input.displayName !== undefined) account.displayName = input.displayName.trim();
      await this.link(em, principal.scope, account, input);
    });
    return this.get(principal, id);
  }

  async setActive(principal: Principal, id: string, active: boolean): Promise<Account> {
    assertPermission(principal, Permission.AccountsWrite);
    if (!active && principal.kind === 'account' && principal.id === id) {
      throw new DomainError('state', 'you cannot disable your own account');
    }
    await this.em.transactional(async (em) => {
      const account = await findVisibleAccount(em, principal.scope, id);
      await assertManageable(em, principal.scope, account);
      account.active = active;
    });
    return this.get(principal, id);
  }

  /** An assigner sets a new password for someone in their scope (forgotten password). */
  async resetPassword(principal: Principal, id: string, password: string): Promise<void> {
    assertPermission(principal, Permission.AccountsWrite);
    if (principal.kind === 'account' && principal.id === id) {
      throw DomainError.forbidden('change your own password with POST /auth/password, which asks for the current one');
    }
    checkPassword(password, 'password');
    const passwordHash = await hashPassword(password); // outside the transaction, as in create
    await this.em.transactional(async (em) => {
      const account = await findVisibleAccount(em, principal.scope, id);
      await assertManageable(em, principal.scope, account);
      account.passwordHash = passwordHash;
      account.credentialsChangedAt = new Date();
    });
  }

  /** The account's own change: proves the current password first, so a borrowed session cannot lock its owner out. */
  async changeOwnPassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    if (principal.kind !== 'account') throw DomainError.forbidden('API keys have no password');
    checkPassword(newPassword, 'newPassword');
    if (newPassword === currentPassword) throw DomainError.validation('the new password must differ from the current one', 'newPassword');
    await this.em.transactional(async (em) => {
      const account = await em.findOneOrFail(Account, { id: principal.id }, { populate: ['passwordHash'] });
      if (!(await verifyPassword(currentPassword, account.passwordHash))) {
        throw DomainError.validation('the current password is wrong', 'currentPassword');
      }
      account.passwordHash = await hashPassword(newPassword);
      account.credentialsChangedAt = new Date();
    });
  }

  /** Links to the grid-worker roster and a joint-meeting party; each target must be in scope. */
  private async link(em: EntityManager, scope: Scope, account: Account, input: UpdateAccountInput): Promise<void> {
    if (input.gridWorkerId === null) account.gridWorker = undefined;
    if (typeof input.gridWorkerId === 'string') {
      const worker = await em.findOne(GridWorker, { id: input.gridWorkerId }, { populate: ['grid'] });
      if (!worker) throw DomainError.notFound('grid worker', input.gridWorkerId, 'gridWorkerId');
      if (!unitInScope(scope, worker.grid)) throw DomainError.forbidden('grid worker outside your scope');
      const taken = await em.count(Account, { gridWorker: worker, id: { $ne: account.id } });
      if (taken > 0) throw DomainError.conflict('another account is linked to this grid worker', 'gridWorkerId');
      account.gridWorker = worker;
    }
    if (input.partyMemberId === null) account.partyMember = undefined;
    if (typeof input.partyMemberId === 'string') {
      const member = await em.findOne(PartyMember, { id: input.partyMemberId }, { populate: ['party.community', 'party.compound.community'] });
      if (!member) throw DomainError.notFound('party member', input.partyMemberId, 'partyMemberId');
      const party = member.party;
      const companyId = party.propertyCompany?.id;
      const inScope =
        unitInScope(scope, party.community) ||
        (party.compound ? compoundInScope(scope, party.compound) : false) ||
        (companyId !== undefined && scope.companyIds.includes(companyId));
      if (!inScope) throw DomainError.forbidden('party member outside your scope');
      account.partyMember = member;
    }
  }
}
