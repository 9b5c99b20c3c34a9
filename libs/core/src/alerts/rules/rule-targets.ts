import { EntityManager } from '@mikro-orm/knex';
import { Compound } from '../../org/entities/compound.entity';
import { OrgUnit } from '../../org/entities/org-unit.entity';
import { anchoredAtOrAbove, unitVisible } from '../../org/org-access';
import { isUuid } from '../../org/org-errors';
import { OrgLevel } from '../../org/org-level';
import { compoundInScope, Scope, unitInScope } from '../../org/scope';
import { DomainError } from '../../shared/domain-error';
import { AlertRule } from '../entities/alert-rule.entity';

/**
 * Where a stored override applies and who may see or change it: global overrides are read by
 * every reader and changed by administrators and city officers; a community's by its subtree;
 * a compound's also by whoever holds the compound.
 */

export const GLOBAL = 'global';

/** Neither id (global), a community, or a compound. */
export interface RuleScopeInput {
  communityId?: string | null;
  compoundId?: string | null;
}

export interface RuleTarget {
  scopeKey: string;
  community?: OrgUnit;
  compound?: Compound;
}

export function assertLevel(unit: OrgUnit, level: OrgLevel, field: string): void {
  if (unit.level !== level) throw DomainError.validation(`${field}: ${unit.code} is a ${unit.level}, not a ${level}`, field);
}

export async function findReadableCompound(em: EntityManager, scope: Scope, id: string, field: string): Promise<Compound> {
  const compound = isUuid(id) ? await em.findOne(Compound, { id }, { populate: ['community', 'propertyCompany'] }) : null;
  if (!compound || !(compoundInScope(scope, compound) || unitVisible(scope, compound.community))) throw DomainError.notFound('compound', id, field);
  return compound;
}

export async function resolveTarget(em: EntityManager, input: RuleScopeInput): Promise<RuleTarget> {
  if (input.compoundId) {
    const compound = isUuid(input.compoundId) ? await em.findOne(Compound, { id: input.compoundId }, { populate: ['community', 'propertyCompany'] }) : null;
    if (!compound) throw DomainError.validation(`unknown compound ${input.compoundId}`, 'compoundId');
    if (input.communityId && input.communityId !== compound.community.id) {
      throw DomainError.validation(`compound ${compound.code} is not in community ${input.communityId}`, 'compoundId');
    }
    return { scopeKey: `compound:${compound.id}`, compound };
  }
  if (input.communityId) {
    const community = isUuid(input.communityId) ? await em.findOne(OrgUnit, { id: input.communityId }) : null;
    if (!community) throw DomainError.validation(`unknown community ${input.communityId}`, 'communityId');
    assertLevel(community, OrgLevel.Community, 'communityId');
    return { scopeKey: `unit:${community.id}`, community };
  }
  return { scopeKey: GLOBAL };
}

export async function targetOf(em: EntityManager, row: AlertRule): Promise<RuleTarget> {
  if (row.compoundId) {
    const compound = await em.findOne(Compound, { id: row.compoundId }, { populate: ['community', 'propertyCompany'] });
    return { scopeKey: row.scopeKey, compound: compound ?? undefined };
  }
  if (row.communityId) return { scopeKey: row.scopeKey, community: (await em.findOne(OrgUnit, { id: row.communityId })) ?? undefined };
  return { scopeKey: row.scopeKey };
}

export function targetVisible(scope: Scope, target: RuleTarget): boolean {
  if (scope.all || target.scopeKey === GLOBAL) return true;
  if (target.compound) return compoundInScope(scope, target.compound) || unitVisible(scope, target.compound.community);
  return target.community !== undefined && unitVisible(scope, target.community);
}

export function assertWritable(scope: Scope, target: RuleTarget): void {
  if (scope.all) return;
  if (target.scopeKey === GLOBAL) {
    if (!anchoredAtOrAbove(scope, OrgLevel.City)) throw DomainError.forbidden('global rule overrides are changed by administrators and city officers only');
    return;
  }
  if (target.compound) {
    if (!compoundInScope(scope, target.compound)) throw DomainError.forbidden(`compound ${target.compound.code} is outside your scope`);
    return;
  }
  if (!target.community || !unitInScope(scope, target.community)) {
    throw DomainError.forbidden(`community ${target.community?.code ?? ''} is outside your scope`.trim());
  }
}
