import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { AlertSeverity } from '../devices/device-type';
import { Building } from '../org/entities/building.entity';
import { Compound } from '../org/entities/compound.entity';
import { GridWorker } from '../org/entities/grid-worker.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { PropertyCompany } from '../org/entities/property-company.entity';
import { DomainError } from '../shared/domain-error';
import { loadedOrFind } from '../shared/loaded-or-find';
import { ReferenceCache } from '../shared/reference-cache';
import { RoutingTarget } from './entities/routing-policy.entity';
import { RoutingPolicies, RoutingRules } from './routing-policies.service';
import { WorkOrderSource } from './work-order-states';
import { assertId } from './work-order-input';

/** What routing looks at. */
export interface RoutingSubject {
  source: WorkOrderSource;
  category: string;
  severity: AlertSeverity;
  community: OrgUnit;
  compound?: Compound | null;
  grid?: OrgUnit | null;
}

/** Who an order went to, as the audit entry records it. */
export interface RoutedTarget {
  kind: 'grid_worker' | 'company' | 'unit' | 'account';
  id: string;
  name: string;
  code?: string;
}

export interface RoutingDecision {
  gridWorker?: GridWorker;
  company?: PropertyCompany;
  desk: boolean;
  targets: RoutedTarget[];
  /** Why, in words: "safety alert → grid worker 王五 (G-001) of grid X". */
  reason: string;
  /** The policy's target for the category, when the policy decided. */
  rule?: RoutingTarget;
}

export interface ExplicitRoute {
  gridWorkerId?: string;
  companyId?: string;
  desk?: boolean;
  reason: string;
}

const SOURCE_NOUNS: Record<WorkOrderSource, string> = {
  alert: 'alert',
  desk: 'desk request',
  patrol: 'patrol report',
  visit: 'home visit',
  meeting: 'action item',
};

/**
 * Routing (DESIGN.md section 5): the policy names a target per category (critical to both when
 * the policy says so); the grid worker is the active one on the grid's roster (full-time first,
 * then by code); the company is the compound's; whoever cannot be found leaves the order to the
 * community desk, and the reason says why.
 */
@Injectable()
export class WorkOrderRouter {
  constructor(
    private readonly policies: RoutingPolicies,
    private readonly reference: ReferenceCache,
  ) {}

  async decide(em: EntityManager, subject: RoutingSubject, rules?: RoutingRules): Promise<RoutingDecision> {
    const policies = rules ? new Map([[subject.community.id, rules]]) : undefined;
    return (await this.decideMany(em, [subject], policies))[0];
  }

  /**
   * decide() for a batch of subjects: the policies, the grids of compounds, the grid workers and
   * the companies are each read with one query for the whole batch, or taken from the reference cache.
   */
  async decideMany(em: EntityManager, subjects: readonly RoutingSubject[], rules?: Map<string, RoutingRules>): Promise<RoutingDecision[]> {
    if (subjects.length === 0) return [];
    const policies = rules ?? (await this.policies.effectiveMany(em, subjects.map((s) => s.community.id)));
    const planned = subjects.map((subject) => {
      const policy = policies.get(subject.community.id)!;
      const critical = subject.severity === 'critical' && policy.criticalToBoth;
      const rule: RoutingTarget = critical ? 'both' : (policy.categories[subject.category] ?? 'desk');
      return { subject, critical, rule, wantsGridWorker: rule === 'grid_worker' || rule === 'both', wantsCompany: rule === 'property_company' || rule === 'both' };
    });
    const gridOf = await gridsOfCompounds(
      em,
      this.reference,
      planned.filter((p) => p.wantsGridWorker && !p.subject.grid && p.subject.compound).map((p) => p.subject.compound!.id),
    );
    const gridFor = (subject: RoutingSubject): OrgUnit | undefined => subject.grid ?? (subject.compound ? gridOf.get(subject.compound.id) : undefined);
    const workers = await activeWorkersOf(
      em,
      this.reference,
      planned.filter((p) => p.wantsGridWorker).flatMap((p) => gridFor(p.subject)?.id ?? []),
    );
    const companyIds = planned.flatMap((p) => (p.wantsCompany ? (p.subject.compound?.propertyCompany?.id ?? []) : []));
    const companies = await loadedOrFind(em, PropertyCompany, companyIds, (ids) => em.find(PropertyCompany, { id: { $in: ids } }));

    return planned.map(({ subject, critical, rule, wantsGridWorker, wantsCompany }) => {
      const what = `${critical ? 'critical ' : ''}${subject.category} ${SOURCE_NOUNS[subject.source]}`;
      const found: string[] = [];
      const missing: string[] = [];
      let gridWorker: GridWorker | undefined;
      let company: PropertyCompany | undefined;
      if (wantsGridWorker) {
        const grid = gridFor(subject);
        if (!grid) missing.push('no grid is known for it');
        else {
          gridWorker = workers.get(grid.id);
          if (gridWorker) found.push(`grid worker ${gridWorker.name} (${gridWorker.code}) of grid ${grid.name}`);
          else missing.push(`no active grid worker on grid ${grid.name}`);
        }
      }
      if (wantsCompany) {
        if (!subject.compound) missing.push('it is in no compound, so no property company');
        else {
          const managed = subject.compound.propertyCompany;
          company = managed ? companies.get(managed.id) : undefined;
          if (company) found.push(`property company ${company.name} (${company.code}) of ${subject.compound.name}`);
          else missing.push(`compound ${subject.compound.name} has no property company`);
        }
      }
      const targets: RoutedTarget[] = [];
      if (gridWorker) targets.push({ kind: 'grid_worker', id: gridWorker.id, name: gridWorker.name, code: gridWorker.code });
      if (company) targets.push({ kind: 'company', id: company.id, name: company.name, code: company.code });
      const desk = targets.length === 0;
      const deskTarget = `community desk of ${subject.community.name}`;
      if (desk) targets.push({ kind: 'unit', id: subject.community.id, name: subject.community.name, code: subject.community.code });
      let reason: string;
      if (rule === 'desk') reason = `${what} → ${deskTarget} (the policy routes ${subject.category} to the desk)`;
      else if (desk) reason = `${what}: ${missing.join('; ')} → ${deskTarget}`;
      else reason = `${what} → ${found.join(' and ')}${missing.length > 0 ? ` (${missing.join('; ')})` : ''}`;
      return { gridWorker, company, desk, targets, reason, rule };
    });
  }

  /** A route chosen by a person or a feature (a referral, a meeting's action item): checked, not decided. */
  async explicit(em: EntityManager, route: ExplicitRoute, community: OrgUnit): Promise<RoutingDecision> {
    const targets: RoutedTarget[] = [];
    let gridWorker: GridWorker | undefined;
    let company: PropertyCompany | undefined;
    if (route.gridWorkerId !== undefined) {
      gridWorker = (await em.findOne(GridWorker, { id: assertId(route.gridWorkerId, 'route.gridWorkerId') })) ?? undefined;
      if (!gridWorker || !gridWorker.active) throw DomainError.validation(`unknown or inactive grid worker ${route.gridWorkerId}`, 'route.gridWorkerId');
      targets.push({ kind: 'grid_worker', id: gridWorker.id, name: gridWorker.name, code: gridWorker.code });
    }
    if (route.companyId !== undefined) {
      company = (await em.findOne(PropertyCompany, { id: assertId(route.companyId, 'route.companyId') })) ?? undefined;
      if (!company) throw DomainError.validation(`unknown property company ${route.companyId}`, 'route.companyId');
      targets.push({ kind: 'company', id: company.id, name: company.name, code: company.code });
    }
    const desk = route.desk === true;
    if (desk) targets.push({ kind: 'unit', id: community.id, name: community.name, code: community.code });
    return { gridWorker, company, desk, targets, reason: route.reason };
  }
}

/** A compound has no grid of its own: its buildings' grids (the first by building code), per compound. */
function gridsOfCompounds(em: EntityManager, reference: ReferenceCache, compoundIds: readonly string[]): Promise<Map<string, OrgUnit>> {
  return reference.entities(em, OrgUnit, 'grid_of_compound', compoundIds, async (missing) => {
    const grids = new Map<string, OrgUnit>();
    const buildings = await em.find(Building, { compound: { $in: missing }, grid: { $ne: null } }, { populate: ['grid'], orderBy: { code: 'asc' } });
    for (const building of buildings) if (building.grid && !grids.has(building.compound.id)) grids.set(building.compound.id, building.grid);
    return grids;
  });
}

/** The grid worker an order goes to, per grid: the active one on the roster, full-time first, then by code. */
function activeWorkersOf(em: EntityManager, reference: ReferenceCache, gridIds: readonly string[]): Promise<Map<string, GridWorker>> {
  return reference.entities(em, GridWorker, 'active_grid_worker', gridIds, async (missing) => {
    const workers = new Map<string, GridWorker>();
    const rows = await em.find(GridWorker, { grid: { $in: missing }, active: true }, { orderBy: { fullTime: 'desc', code: 'asc' } });
    for (const worker of rows) if (!workers.has(worker.grid.id)) workers.set(worker.grid.id, worker);
    return workers;
  });
}
