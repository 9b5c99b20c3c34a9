import { FilterQuery } from '@mikro-orm/core';
import { idsOfPath } from '../org/org-access';
import { Scope } from '../org/scope';
import { Alert } from './entities/alert.entity';

/** Depth on a materialised path: city 1 ... community 4, grid 5 (the tree is strictly levelled). */
const COMMUNITY_DEPTH = 4;
const GRID_DEPTH = 5;

/**
 * Which alerts a scope reaches: those of communities in its subtrees (by the community path
 * copied onto the alert), of its grid (a grid worker's), of its compounds (committees), and of
 * the compounds its property companies manage.
 */
export function alertScopeFilter(scope: Scope): FilterQuery<Alert> {
  if (scope.all) return {};
  const or: FilterQuery<Alert>[] = [];
  for (const path of scope.unitPaths) {
    const ids = idsOfPath(path);
    const anchor = ids[ids.length - 1];
    if (ids.length === GRID_DEPTH) or.push({ grid: anchor });
    else if (ids.length === COMMUNITY_DEPTH) or.push({ community: anchor });
    else or.push({ communityPath: { $like: `${path}%` } });
  }
  if (scope.compoundIds.length > 0) or.push({ compound: { $in: [...scope.compoundIds] } });
  if (scope.companyIds.length > 0) or.push({ compound: { propertyCompany: { $in: [...scope.companyIds] } } });
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

/** The same check on one loaded alert (compound populated with its company). */
export function alertVisible(scope: Scope, alert: Alert): boolean {
  if (scope.all) return true;
  const unitPath = alert.grid ? `${alert.communityPath}${alert.grid.id}/` : alert.communityPath;
  if (scope.unitPaths.some((prefix) => unitPath.startsWith(prefix))) return true;
  const compound = alert.compound;
  if (!compound) return false;
  if (scope.compoundIds.includes(compound.id)) return true;
  const companyId = compound.propertyCompany?.id;
  return companyId !== undefined && scope.companyIds.includes(companyId);
}
