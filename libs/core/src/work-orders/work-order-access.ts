import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { Account } from '../identity/entities/account.entity';
import { hasPermission, isAdmin, Principal } from '../identity/principal';
import { Permission, Role } from '../identity/roles';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { idsOfPath } from '../org/org-access';
import { compoundScopeFilter, Scope, unitInScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { WorkOrder } from './entities/work-order.entity';

/**
 * Who sees and who may act on a work order (DESIGN.md section 7). An order is visible when its
 * community lies in a unit subtree of the scope (a grid worker: its grid), its compound is in
 * scope (committees), its routed company is the principal's (property staff, company systems),
 * or the principal is its assignee, owner, reporter or routed grid worker.
 */
export interface WorkOrderViewer {
  principal: Principal;
  /** The roster entry of the principal's account (Account.gridWorker), when it is a grid worker. */
  gridWorkerId?: string;
}

const GRID_DEPTH = 5;

export async function viewerOf(em: EntityManager, principal: Principal): Promise<WorkOrderViewer> {
  if (principal.kind !== 'account') return { principal };
  const account = await em.findOne(Account, { id: principal.id }, { fields: ['id', 'gridWorker'] });
  return { principal, gridWorkerId: account?.gridWorker?.id };
}

/** A where-clause for the orders a viewer sees. */
export function workOrderScopeFilter(viewer: WorkOrderViewer): FilterQuery<WorkOrder> {
  const { scope } = viewer.principal;
  if (scope.all) return {};
  const or: FilterQuery<WorkOrder>[] = [];
  for (const path of scope.unitPaths) {
    const ids = idsOfPath(path);
    if (ids.length >= GRID_DEPTH) or.push({ grid: ids[ids.length - 1] });
    else or.push({ communityPath: { $like: `${path}%` } });
  }
  if (scope.compoundIds.length > 0) or.push({ compound: { $in: [...scope.compoundIds] } });
  if (scope.companyIds.length > 0) or.push({ assignedCompany: { $in: [...scope.companyIds] } });
  if (viewer.principal.kind === 'account') {
    or.push({ assignee: viewer.principal.id }, { owner: viewer.principal.id }, { reporter: viewer.principal.id });
  }
  if (viewer.gridWorkerId) or.push({ assignedGridWorker: viewer.gridWorkerId });
  return { $or: or };
}

export function workOrderVisible(viewer: WorkOrderViewer, order: WorkOrder): boolean {
  const { principal } = viewer;
  const { scope } = principal;
  if (scope.all) return true;
  for (const path of scope.unitPaths) {
    const ids = idsOfPath(path);
    if (ids.length >= GRID_DEPTH ? order.grid?.id === ids[ids.length - 1] : order.communityPath.startsWith(path)) return true;
  }
  if (order.compound && scope.compoundIds.includes(order.compound.id)) return true;
  if (order.assignedCompany && scope.companyIds.includes(order.assignedCompany.id)) return true;
  if (isPerson(principal, order.assignee) || isPerson(principal, order.owner) || isPerson(principal, order.reporter)) return true;
  return viewer.gridWorkerId !== undefined && order.assignedGridWorker?.id === viewer.gridWorkerId;
}

/** Supervisors (督查, dispatch): WorkOrdersDispatch over a unit subtree holding the order's community. */
export function supervises(principal: Principal, order: WorkOrder): boolean {
  if (!hasPermission(principal, Permission.WorkOrdersDispatch)) return false;
  return principal.scope.all || principal.scope.unitPaths.some((path) => order.communityPath.startsWith(path));
}

/**
 * Works on the order: its assignee or desk owner, the routed grid worker's account, the staff or
 * system of the routed company, the community workers of a desk order's community.
 */
export function worksOn(viewer: WorkOrderViewer, order: WorkOrder): boolean {
  const { principal } = viewer;
  if (isAdmin(principal)) return true;
  if (isPerson(principal, order.assignee) || isPerson(principal, order.owner)) return true;
  if (viewer.gridWorkerId !== undefined && order.assignedGridWorker?.id === viewer.gridWorkerId) return true;
  const companyId = order.assignedCompany?.id;
  if (companyId && principal.grants.some((g) => (g.role === Role.PropertyStaff || g.role === Role.CompanySystem) && g.companyId === companyId)) return true;
  return order.assignedDesk && isCommunityWorkerOf(principal, order.community.id);
}

export function isCommunityWorkerOf(principal: Principal, communityId: string): boolean {
  return principal.grants.some((g) => g.role === Role.CommunityWorker && g.orgUnitId === communityId);
}

export function isOwnersCommitteeOf(principal: Principal, compoundId: string | undefined): boolean {
  return compoundId !== undefined && principal.grants.some((g) => g.role === Role.OwnersCommittee && g.compoundId === compoundId);
}

export function isPerson(principal: Principal, account: { id: string } | null | undefined): boolean {
  return principal.kind === 'account' && account?.id === principal.id;
}

/**
 * A community named in a query or body: visible when it lies in a unit subtree of the scope, or
 * when a compound of it is reachable (committees, property companies). Otherwise 404.
 */
export async function assertCommunityVisible(em: EntityManager, scope: Scope, community: OrgUnit): Promise<void> {
  if (unitInScope(scope, community)) return;
  if (scope.unitPaths.some((path) => idsOfPath(path).length >= GRID_DEPTH && path.startsWith(community.path))) return;
  if (scope.compoundIds.length > 0 || scope.companyIds.length > 0) {
    const reachable = await em.count(Compound, { $and: [{ community: community.id }, compoundScopeFilter(scope)] } as FilterQuery<Compound>);
    if (reachable > 0) return;
  }
  throw DomainError.notFound('community', community.id);
}
