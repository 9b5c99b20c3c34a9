import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DomainError } from '../shared/domain-error';
import { hashPassword, tokenMatches, verifyPassword } from '../shared/secret-hash';
import { Account } from './entities/account.entity';
import { ApiKey } from './entities/api-key.entity';
import { RoleAssignment } from './entities/role-assignment.entity';
import { Principal, principalFrom, RoleGrant } from './principal';
import { API_KEY_PATTERN } from './api-key-format';
import { Role } from './roles';

/** A hash to compare against when the username is unknown, so timing does not tell. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Authentication: passwords, API keys, principals with their scope; the bootstrap administrator. */
@Injectable()
export class IdentityService {
  private readonly logger = new Logger(IdentityService.name);

  constructor(private readonly em: EntityManager) {}

  /** Checks a username and password; the same error for unknown user and wrong password. */
  async login(username: string, password: string): Promise<Principal> {
    const em = this.em.fork();
    const account = await em.findOne(Account, { username: username.trim().toLowerCase() }, { populate: ['passwordHash'] });
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok || !account.active) {
      throw new DomainError('unauthenticated', 'wrong username or password');
    }
    account.lastLoginAt = new Date();
    await em.flush();
    return this.principalForAccount(account.id);
  }

  /**
   * Loads an account's current roles, so a revoked role or disabled account stops at once.
   * `tokenIssuedAt` (epoch ms) rejects tokens issued before the last password change or reset.
   */
  async principalForAccount(accountId: string, tokenIssuedAt?: number): Promise<Principal> {
    const em = this.em.fork();
    const account = await em.findOne(Account, { id: accountId, active: true });
    if (!account) throw new DomainError('unauthenticated', 'account is disabled or no longer exists');
    if (tokenIssuedAt !== undefined && tokenIssuedAt < account.credentialsChangedAt.getTime()) {
      throw new DomainError('unauthenticated', 'token predates a password change; log in again');
    }
    const assignments = await em.find(RoleAssignment, { account }, { populate: ['orgUnit', 'compound', 'propertyCompany'] });
    const grants: RoleGrant[] = assignments.map((a) => ({
      role: a.role,
      orgUnitId: a.orgUnit?.id,
      orgUnitPath: a.orgUnit?.path,
      compoundId: a.compound?.id,
      companyId: a.propertyCompany?.id,
    }));
    return principalFrom('account', account.id, account.username, grants);
  }

  /** API keys look like `sck_<keyId>.<secret>`; only the SHA-256 of the whole key is stored. */
  async principalForApiKey(key: string): Promise<Principal> {
    const match = API_KEY_PATTERN.exec(key.trim());
    if (!match) throw new DomainError('unauthenticated', 'malformed API key');
    const em = this.em.fork();
    const row = await em.findOne(ApiKey, { keyId: match[1] }, { populate: ['propertyCompany'] });
    if (!row || row.revokedAt || !tokenMatches(key.trim(), row.secretHash)) {
      throw new DomainError('unauthenticated', 'unknown or revoked API key');
    }
    // Touch at most once a minute: a busy integration should not write on every call.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      row.lastUsedAt = new Date();
      await em.flush();
    }
    return principalFrom('api_key', row.id, row.name, [{ role: row.role, companyId: row.propertyCompany.id }]);
  }

  /**
   * Creates the administrator on first start (no account exists yet). Returns the password
   * when it had to be generated, so the caller can hand it over once.
   */
  async ensureBootstrapAdmin(username: string, password: string): Promise<boolean> {
    const em = this.em.fork();
    if ((await em.count(Account, {})) > 0) return false;
    const admin = em.create(Account, {
      username: username.trim().toLowerCase(),
      displayName: 'Administrator 系统管理员',
      passwordHash: await hashPassword(password),
      active: true,
    });
    em.create(RoleAssignment, { account: admin, role: Role.Admin });
    await em.flush();
    this.logger.log({ accountId: admin.id, username: admin.username }, 'bootstrap administrator created');
    return true;
  }
}

