import { EntityManager } from '@mikro-orm/knex';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { PropertyCompany } from '../org/entities/property-company.entity';
import { compoundInScope, Scope, unitInScope } from '../org/scope';

/** The loaded anchor of a role grant (ROLE_ANCHORS says which kind a role needs). */
export type Anchor =
  | { kind: 'system' }
  | { kind: 'unit'; unit: OrgUnit }
  | { kind: 'compound'; compound: Compound }
  | { kind: 'company'; company: PropertyCompany };

/** Where-clause fragments: compounds whose community lies in one of the scope's unit subtrees. */
function compoundsInSubtrees(scope: Scope): Record<string, unknown>[] {
  return scope.unitPaths.map((prefix) => ({ community: { path: { $like: `${prefix}%` } } }));
}

/**
 * Companies a scope reaches: its own companies, and those managing a compound inside one of its
 * unit subtrees (an officer deals with the companies working in their area).
 */
export async function companiesTouchingScope(em: EntityManager, scope: Scope): Promise<string[]> {
  const ids = new Set(scope.companyIds);
  const inSubtrees = compoundsInSubtrees(scope);
  if (inSubtrees.length > 0) {
    const compounds = await em.find(
      Compound,
      { $or: inSubtrees, propertyCompany: { $ne: null } },
      { fields: ['propertyCompany'] },
    );
    for (const c of compounds) if (c.propertyCompany) ids.add(c.propertyCompany.id);
  }
  return [...ids];
}

/** The company is the scope's own, or manages at least one compound inside it. */
export async function companyTouchesScope(em: EntityManager, scope: Scope, companyId: string): Promise<boolean> {
  if (scope.all || scope.companyIds.includes(companyId)) return true;
  const inSubtrees = compoundsInSubtrees(scope);
  if (inSubtrees.length === 0) return false;
  return (await em.count(Compound, { propertyCompany: companyId, $or: inSubtrees })) > 0;
}

/**
 * The company's whole reach lies inside the scope: it manages at least one compound and every
 * one of them is inside. A company role sees all the company's compounds, so handing one out
 * from a smaller scope would widen the assigner's own reach.
 */
export async function companyWithinScope(em: EntityManager, scope: Scope, companyId: string): Promise<boolean> {
  if (scope.all || scope.companyIds.includes(companyId)) return true;
  const inSubtrees = compoundsInSubtrees(scope);
  if (inSubtrees.length === 0) return false;
  const total = await em.count(Compound, { propertyCompany: companyId });
  const inside = await em.count(Compound, { propertyCompany: companyId, $or: inSubtrees });
  return total > 0 && inside === total;
}

type CompanyRule = (em: EntityManager, scope: Scope, companyId: string) => Promise<boolean>;

/** Units and compounds are in scope or not; companies by the rule the caller needs. */
async function anchorInScope(em: EntityManager, scope: Scope, anchor: Anchor, companyRule: CompanyRule): Promise<boolean> {
  if (scope.all) return true;
  switch (anchor.kind) {
    case 'system':
      return false;
    case 'unit':
      return unitInScope(scope, anchor.unit);
    case 'compound':
      return compoundInScope(scope, anchor.compound);
    case 'company':
      return companyRule(em, scope, anchor.company.id);
  }
}

/** May the scope see an account anchored here? */
export function anchorVisible(em: EntityManager, scope: Scope, anchor: Anchor): Promise<boolean> {
  return anchorInScope(em, scope, anchor, companyTouchesScope);
}

/** May the scope hand out or take away a role anchored here? Only administrators hold the system anchor. */
export function anchorWithinScope(em: EntityManager, scope: Scope, anchor: Anchor): Promise<boolean> {
  return anchorInScope(em, scope, anchor, companyWithinScope);
}

/**
 * Where-clause on RoleAssignment for grants whose anchor the scope can see; an account is
 * visible when any of its grants is.
 */
export async function visibleGrantFilter(em: EntityManager, scope: Scope): Promise<Record<string, unknown> | undefined> {
  if (scope.all) return undefined;
  const companies = await companiesTouchingScope(em, scope);
  const compoundOr: Record<string, unknown>[] = [
    ...compoundsInSubtrees(scope),
    ...(scope.compoundIds.length > 0 ? [{ id: { $in: [...scope.compoundIds] } }] : []),
    ...(scope.companyIds.length > 0 ? [{ propertyCompany: { $in: [...scope.companyIds] } }] : []),
  ];
  const or: Record<string, unknown>[] = [
    ...scope.unitPaths.map((prefix) => ({ orgUnit: { path: { $like: `${prefix}%` } } })),
    ...(compoundOr.length > 0 ? [{ compound: { $or: compoundOr } }] : []),
    ...(companies.length > 0 ? [{ propertyCompany: { $in: companies } }] : []),
  ];
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

/** The anchor of a stored grant, from its populated relations. */
export function anchorOfGrant(grant: { orgUnit?: OrgUnit; compound?: Compound; propertyCompany?: PropertyCompany }): Anchor {
  if (grant.orgUnit) return { kind: 'unit', unit: grant.orgUnit };
  if (grant.compound) return { kind: 'compound', compound: grant.compound };
  if (grant.propertyCompany) return { kind: 'company', company: grant.propertyCompany };
  return { kind: 'system' };
}
