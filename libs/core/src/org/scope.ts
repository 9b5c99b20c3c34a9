import { Compound } from './entities/compound.entity';
import { OrgUnit } from './entities/org-unit.entity';

/**
 * What a principal may see (DESIGN.md section 7): org subtrees, single compounds
 * (committee members) and property companies (their compounds and orders). The union of
 * every role the principal holds. Domain services filter and check with it.
 */
export interface Scope {
  /** Whole system (administrators). */
  readonly all: boolean;
  /** Subtree roots as materialised paths ("/city/district/"); a unit is inside if its path starts with one. */
  readonly unitPaths: readonly string[];
  readonly compoundIds: readonly string[];
  readonly companyIds: readonly string[];
}

export const FULL_SCOPE: Scope = { all: true, unitPaths: [], compoundIds: [], companyIds: [] };

export function unitInScope(scope: Scope, unit: Pick<OrgUnit, 'path'>): boolean {
  return scope.all || scope.unitPaths.some((prefix) => unit.path.startsWith(prefix));
}

/** A unit that is an ancestor of something in scope is visible as context (breadcrumbs), not writable. */
export function unitIsAncestorOfScope(scope: Scope, unit: Pick<OrgUnit, 'path'>): boolean {
  return scope.unitPaths.some((prefix) => prefix.startsWith(unit.path));
}

export function compoundInScope(
  scope: Scope,
  compound: { id: string; community: Pick<OrgUnit, 'path'>; propertyCompany?: { id: string } | null },
): boolean {
  if (scope.all || unitInScope(scope, compound.community)) return true;
  if (scope.compoundIds.includes(compound.id)) return true;
  const companyId = compound.propertyCompany?.id;
  return companyId !== undefined && scope.companyIds.includes(companyId);
}

export function companyInScope(scope: Scope, companyId: string): boolean {
  return scope.all || scope.companyIds.includes(companyId);
}

/** A where-clause fragment for compounds visible in a scope (MikroORM filter syntax). */
export function compoundScopeFilter(scope: Scope): Record<string, unknown> {
  if (scope.all) return {};
  const or: Record<string, unknown>[] = [
    ...scope.unitPaths.map((prefix) => ({ community: { path: { $like: `${prefix}%` } } })),
    ...(scope.compoundIds.length > 0 ? [{ id: { $in: [...scope.compoundIds] } }] : []),
    ...(scope.companyIds.length > 0 ? [{ propertyCompany: { $in: [...scope.companyIds] } }] : []),
  ];
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

/** A where-clause fragment for org units inside a scope's subtrees. */
export function unitScopeFilter(scope: Scope): Record<string, unknown> {
  if (scope.all) return {};
  const or = scope.unitPaths.map((prefix) => ({ path: { $like: `${prefix}%` } }));
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

export type CompoundRef = Pick<Compound, 'id'>;
