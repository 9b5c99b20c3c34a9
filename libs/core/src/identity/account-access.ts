import { EntityManager } from '@mikro-orm/knex';
import { Scope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { anchorOfGrant, anchorVisible, anchorWithinScope } from './anchor-scope';
import { Account } from './entities/account.entity';

/** Relations an account view needs: its grants with their anchors (compounds with their community, for scope). */
export const ACCOUNT_POPULATE = [
  'roles',
  'roles.orgUnit',
  'roles.compound',
  'roles.compound.community',
  'roles.propertyCompany',
  'gridWorker',
  'partyMember',
] as const;

/** An account is visible when any of its role anchors is in the viewer's scope. */
export async function accountVisible(em: EntityManager, scope: Scope, account: Account): Promise<boolean> {
  if (scope.all) return true;
  for (const grant of account.roles.getItems()) {
    if (await anchorVisible(em, scope, anchorOfGrant(grant))) return true;
  }
  return false;
}

/** Loads an account with its grants; not found when it is outside the scope, so existence does not leak. */
export async function findVisibleAccount(em: EntityManager, scope: Scope, id: string): Promise<Account> {
  const account = await em.findOne(Account, { id }, { populate: [...ACCOUNT_POPULATE] });
  if (!account || !(await accountVisible(em, scope, account))) throw DomainError.notFound('account', id);
  return account;
}

/**
 * Changing an account (password, name, enabled) gives power over everything it can reach, so
 * every one of its anchors must lie within the assigner's scope, not just one.
 */
export async function assertManageable(em: EntityManager, scope: Scope, account: Account): Promise<void> {
  if (scope.all) return;
  const grants = account.roles.getItems();
  let within = grants.length > 0;
  for (const grant of grants) {
    if (!within) break;
    within = await anchorWithinScope(em, scope, anchorOfGrant(grant));
  }
  if (!within) throw DomainError.forbidden('account holds roles outside the assigner\'s scope');
}
