import { EntityManager } from '@mikro-orm/knex';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';

/**
 * Flushes, turning a unique-constraint race (the pre-check passed, a concurrent insert won)
 * into the same 409 the pre-check gives.
 */
export async function flushOrConflict(em: EntityManager, message: string, field: string): Promise<void> {
  try {
    await em.flush();
  } catch (error: unknown) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new DomainError('conflict', message, [{ field, message }], { cause: error });
    }
    throw error;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from imports and query strings too; PostgreSQL rejects a malformed uuid with a 500. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function assertUuid(value: string, field: string): void {
  if (!isUuid(value)) throw DomainError.validation(`${field} must be a UUID`, field);
}

/** Codes are identifiers people type into CSV files and URLs: letters, digits, dot, dash, underscore. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertCode(value: string, field = 'code'): string {
  const code = value.trim();
  if (!CODE.test(code)) {
    throw DomainError.validation(`${field} must be 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit`, field);
  }
  return code;
}

export function assertText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > max) throw DomainError.validation(`${field} must be 1-${max} characters`, field);
  return text;
}

/** A referenced row (parent, community, grid, filter) outside the caller's scope; names the field it came from. */
export function outsideScope(what: string, field: string): DomainError {
  const message = `${field}: ${what} is outside your scope`;
  return new DomainError('forbidden', message, [{ field, message }]);
}
