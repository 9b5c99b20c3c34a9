import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { compoundInScope, Scope, unitInScope } from '../org/scope';

/**
 * Which devices a scope reaches. A device is visible when its community lies in a subtree of the
 * scope, when its grid does (a grid worker sees the devices of their grid), or when its compound
 * is in scope (committees: their compound; property staff: their company's compounds).
 * Writes need the community or the compound, not merely the grid.
 */

export interface DevicePlacementRefs {
  community: Pick<OrgUnit, 'id' | 'path'>;
  /** Null when loaded from a row without one. */
  compound?: (Pick<Compound, 'id'> & { community: Pick<OrgUnit, 'path'>; propertyCompany?: { id: string } | null }) | null;
  grid?: Pick<OrgUnit, 'path'> | null;
}

export function deviceWritable(scope: Scope, placement: DevicePlacementRefs): boolean {
  if (scope.all || unitInScope(scope, placement.community)) return true;
  return placement.compound ? compoundInScope(scope, placement.compound) : false;
}

export function deviceVisible(scope: Scope, placement: DevicePlacementRefs): boolean {
  if (deviceWritable(scope, placement)) return true;
  return placement.grid ? unitInScope(scope, placement.grid) : false;
}

/** Depth on a materialised path: city 1, district 2, street 3, community 4, grid 5 (the tree is strictly levelled). */
const COMMUNITY_DEPTH = 4;
const GRID_DEPTH = 5;

/**
 * A where-clause for the devices a scope reaches. Community and grid anchors compare the foreign
 * key directly (indexed, no join); anchors above a community match the community's path prefix.
 */
export function deviceScopeFilter(scope: Scope): Record<string, unknown> {
  if (scope.all) return {};
  const or: Record<string, unknown>[] = [];
  for (const path of scope.unitPaths) {
    const ids = path.split('/').filter((id) => id.length > 0);
    const anchorId = ids[ids.length - 1];
    if (ids.length === COMMUNITY_DEPTH) or.push({ community: anchorId });
    else if (ids.length === GRID_DEPTH) or.push({ grid: anchorId });
    else if (ids.length < COMMUNITY_DEPTH) or.push({ community: { path: { $like: `${path}%` } } });
  }
  if (scope.compoundIds.length > 0) or.push({ compound: { $in: [...scope.compoundIds] } });
  if (scope.companyIds.length > 0) or.push({ compound: { propertyCompany: { $in: [...scope.companyIds] } } });
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}
