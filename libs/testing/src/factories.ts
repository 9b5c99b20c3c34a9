import { randomBytes } from 'node:crypto';
import { EntityManager } from '@mikro-orm/knex';
import { Building } from '@sc/core/org/entities/building.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { OrgLevel } from '@sc/core/org/org-level';
import { Account } from '@sc/core/identity/entities/account.entity';
import { RoleAssignment } from '@sc/core/identity/entities/role-assignment.entity';
import { Role } from '@sc/core/identity/roles';
import { hashPassword } from '@sc/core/shared/secret-hash';

function suffix(): string {
  return randomBytes(4).toString('hex');
}

/** A city → district → street → community → grid chain with one compound and building. */
export interface OrgChain {
  city: OrgUnit;
  district: OrgUnit;
  street: OrgUnit;
  community: OrgUnit;
  grid: OrgUnit;
  company: PropertyCompany;
  compound: Compound;
  building: Building;
}

/** Rows for arranging tests, written straight through the ORM (the API is what is under test). */
export class Factories {
  /** One password per factory, hashed once: scrypt is deliberately slow, and suites create hundreds of accounts. */
  private password?: Promise<{ password: string; hash: string }>;

  constructor(private readonly em: () => EntityManager) {}

  private credentials(): Promise<{ password: string; hash: string }> {
    const password = `pw-${suffix()}-${suffix()}`;
    return (this.password ??= hashPassword(password).then((hash) => ({ password, hash })));
  }

  async newUnit(level: OrgLevel, parent?: OrgUnit, fields: Partial<Pick<OrgUnit, 'name' | 'code' | 'pilot'>> = {}): Promise<OrgUnit> {
    const em = this.em();
    const unit = em.create(OrgUnit, {
      code: fields.code ?? `${level}-${suffix()}`,
      name: fields.name ?? `${level} ${suffix()}`,
      level,
      parent: parent ? em.getReference(OrgUnit, parent.id) : undefined,
      path: '',
      pilot: fields.pilot ?? false,
    });
    unit.path = `${parent?.path ?? '/'}${unit.id}/`;
    await em.flush();
    return unit;
  }

  /** A whole chain; pass `city` to hang a second chain under the same city. */
  async newOrgChain(city?: OrgUnit): Promise<OrgChain> {
    const theCity = city ?? (await this.newUnit(OrgLevel.City));
    const district = await this.newUnit(OrgLevel.District, theCity);
    const street = await this.newUnit(OrgLevel.Street, district);
    const community = await this.newUnit(OrgLevel.Community, street);
    const grid = await this.newUnit(OrgLevel.Grid, community);
    const em = this.em();
    const company = em.create(PropertyCompany, { code: `pc-${suffix()}`, name: `物业公司 ${suffix()}` });
    const compound = em.create(Compound, {
      code: `cp-${suffix()}`,
      name: `小区 ${suffix()}`,
      community: em.getReference(OrgUnit, community.id),
      propertyCompany: company,
    });
    const building = em.create(Building, {
      code: '1',
      name: '1号楼',
      compound,
      grid: em.getReference(OrgUnit, grid.id),
    });
    await em.flush();
    return { city: theCity, district, street, community, grid, company, compound, building };
  }

  /** An account holding one role; returns its credentials for login. */
  async newAccount(
    role: Role,
    anchor: { orgUnit?: OrgUnit; compound?: Compound; company?: PropertyCompany } = {},
  ): Promise<{ account: Account; username: string; password: string }> {
    const em = this.em();
    const username = `${role}-${suffix()}`;
    const { password, hash } = await this.credentials();
    const account = em.create(Account, { username, displayName: username, passwordHash: hash });
    em.create(RoleAssignment, {
      account,
      role,
      orgUnit: anchor.orgUnit ? em.getReference(OrgUnit, anchor.orgUnit.id) : undefined,
      compound: anchor.compound ? em.getReference(Compound, anchor.compound.id) : undefined,
      propertyCompany: anchor.company ? em.getReference(PropertyCompany, anchor.company.id) : undefined,
    });
    await em.flush();
    return { account, username, password };
  }
}
