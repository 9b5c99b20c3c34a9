import { ORG_LEVEL_ORDER, OrgLevel } from './org-level';
import { Scope, unitInScope, unitIsAncestorOfScope } from './scope';
import { OrgUnit } from './entities/org-unit.entity';

/**
 * Read and write rules on top of scope.ts. Writes need the target inside a subtree of the
 * scope; reads also show the ancestors of the scope's anchors (breadcrumbs), because their ids
 * are already on the anchors' paths and cost no query.
 */

/** The ids on a materialised path, top first. */
export function idsOfPath(path: string): string[] {
  return path.split('/').filter((id) => id.length > 0);
}

/** Ancestors of the scope's anchors, without the anchors themselves (those are in scope). */
export function ancestorIdsOfScope(scope: Scope): string[] {
  return [...new Set(scope.unitPaths.flatMap((path) => idsOfPath(path).slice(0, -1)))];
}

export function unitVisible(scope: Scope, unit: Pick<OrgUnit, 'path'>): boolean {
  return unitInScope(scope, unit) || unitIsAncestorOfScope(scope, unit);
}

/** A where-clause for units a principal may read: its subtrees and their ancestors. */
export function visibleUnitFilter(scope: Scope): Record<string, unknown> {
  if (scope.all) return {};
  const or: Record<string, unknown>[] = scope.unitPaths.map((prefix) => ({ path: { $like: `${prefix}%` } }));
  const ancestors = ancestorIdsOfScope(scope);
  if (ancestors.length > 0) or.push({ id: { $in: ancestors } });
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

/**
 * Whether the scope holds a unit at `level` or above. The tree is strictly levelled (a child is
 * exactly one level below its parent), so an anchor's depth on its path is its level.
 */
export function anchoredAtOrAbove(scope: Scope, level: OrgLevel): boolean {
  const depth = ORG_LEVEL_ORDER.indexOf(level) + 1;
  return scope.unitPaths.some((path) => idsOfPath(path).length <= depth);
}

/** Whether the scope reaches compounds other than through org subtrees (committees, companies). */
export function hasCompoundReach(scope: Scope): boolean {
  return scope.compoundIds.length > 0 || scope.companyIds.length > 0;
}
