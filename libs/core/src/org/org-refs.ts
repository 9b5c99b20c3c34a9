import { EntityManager } from '@mikro-orm/knex';
import { LockMode } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';
import { Compound } from './entities/compound.entity';
import { OrgUnit } from './entities/org-unit.entity';
import { PropertyCompany } from './entities/property-company.entity';
import { assertUuid } from './org-errors';

/**
 * A reference in a request body or an import row: by id (API clients) or by code (people,
 * imports). `null` only means "clear it" where a service says so.
 */
export interface RefInput {
  id?: string | null;
  code?: string | null;
}

/** The input fields a reference came from, so errors name what the caller sent. */
export interface RefFields {
  id: string;
  code: string;
}

export function refFields(name: string): RefFields {
  return { id: `${name}Id`, code: `${name}Code` };
}

export function refGiven(ref: RefInput): boolean {
  return (ref.id !== undefined && ref.id !== null) || (ref.code !== undefined && ref.code !== null);
}

/** The field a reference was given in (for errors about the referenced row). */
export function refField(ref: RefInput, fields: RefFields): string {
  return ref.code !== undefined && ref.code !== null && (ref.id === undefined || ref.id === null) ? fields.code : fields.id;
}

async function resolve<T>(
  ref: RefInput,
  fields: RefFields,
  what: string,
  find: (where: { id: string } | { code: string }) => Promise<T | null>,
): Promise<T | undefined> {
  const id = ref.id ?? undefined;
  const code = ref.code?.trim() || undefined;
  if (id !== undefined && code !== undefined) {
    throw DomainError.validation(`give ${fields.id} or ${fields.code}, not both`, fields.id);
  }
  if (id !== undefined) {
    assertUuid(id, fields.id);
    const row = await find({ id });
    if (!row) throw unknownReference(what, id, fields.id);
    return row;
  }
  if (code !== undefined) {
    const row = await find({ code });
    if (!row) throw unknownReference(what, code, fields.code);
    return row;
  }
  return undefined;
}

/**
 * `lockForChildren` takes a share lock (PostgreSQL; SQLite has one writer anyway) so a concurrent
 * move of the unit cannot leave a new child with the unit's old path.
 */
export function resolveUnit(em: EntityManager, ref: RefInput, fields: RefFields, what = 'org unit', lockForChildren = false): Promise<OrgUnit | undefined> {
  return resolve(ref, fields, what, (where) => em.findOne(OrgUnit, where, lockForChildren ? { lockMode: LockMode.PESSIMISTIC_READ } : {}));
}

export function resolveCompany(em: EntityManager, ref: RefInput, fields: RefFields): Promise<PropertyCompany | undefined> {
  return resolve(ref, fields, 'property company', (where) => em.findOne(PropertyCompany, where));
}

/** Compounds come with their community, whose path decides scope. */
export function resolveCompound(em: EntityManager, ref: RefInput, fields: RefFields): Promise<Compound | undefined> {
  return resolve(ref, fields, 'compound', (where) => em.findOne(Compound, where, { populate: ['community'] }));
}

/** A body field naming a row that does not exist is bad input (400 naming the field), as in the device registry. */
function unknownReference(what: string, ref: string, field: string): DomainError {
  const message = `unknown ${what} ${ref}`;
  return new DomainError('validation', message, [{ field, message }]);
}
