import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { AuditLog } from '../audit/audit-log';
import { actorOf } from '../audit/actor';
import { assertPermission, isAdmin, Principal } from '../identity/principal';
import { Permission, Role } from '../identity/roles';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { OrgLevel } from '../org/org-level';
import { unitInScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { ReferenceCache } from '../shared/reference-cache';
import { RoutingPolicy, RoutingTarget } from './entities/routing-policy.entity';
import { assertCategory, assertId } from './work-order-input';
import { assertCommunityVisible } from './work-order-access';

export const ROUTING_TARGETS: readonly RoutingTarget[] = ['grid_worker', 'property_company', 'both', 'desk'];

export const ROUTING_TARGET_LABELS: Record<RoutingTarget, { en: string; zh: string }> = {
  grid_worker: { en: 'Grid worker of the grid', zh: '网格员' },
  property_company: { en: 'Property company of the compound', zh: '物业服务企业' },
  both: { en: 'Grid worker and property company', zh: '网格员和物业' },
  desk: { en: 'Community desk', zh: '社区窗口' },
};

/** What routing and verification follow in one community. */
export interface RoutingRules {
  categories: Record<string, RoutingTarget>;
  criticalToBoth: boolean;
  allowSelfVerify: boolean;
}

/** DESIGN.md section 5: safety → grid worker, facility → property company, critical → both, else the desk. */
export const DEFAULT_ROUTING: RoutingRules = {
  categories: { safety: 'grid_worker', facility: 'property_company', desk: 'desk', visit: 'grid_worker' },
  criticalToBoth: true,
  allowSelfVerify: false,
};

export const GLOBAL_ROUTING_SCOPE = 'global';

export function communityRoutingScope(communityId: string): string {
  return `unit:${communityId}`;
}

export interface StoredRoutingPolicy extends RoutingRules {
  id: string;
  scopeKey: string;
  updatedAt: Date;
}

export interface RoutingPolicyView {
  /** The community asked about, or null for the global policy. */
  communityId: string | null;
  /** What applies: defaults, overlaid by the global policy, overlaid by the community's. */
  effective: RoutingRules;
  defaults: RoutingRules;
  global: StoredRoutingPolicy | null;
  community: StoredRoutingPolicy | null;
}

export interface RoutingPolicyInput {
  communityId?: string;
  categories: Record<string, string>;
  criticalToBoth?: boolean;
  allowSelfVerify?: boolean;
}

/** Routing policies: global (administrators and the city) and per community (rule writers in scope). */
@Injectable()
export class RoutingPolicies {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly reference: ReferenceCache,
  ) {}

  /** The rules that apply in a community; a community policy overrides the global one category by category. */
  async effective(em: EntityManager, communityId: string): Promise<RoutingRules> {
    return (await this.effectiveMany(em, [communityId])).get(communityId)!;
  }

  /** effective() for several communities with one query (a batch of routed alerts), or none when the reference cache has them. */
  async effectiveMany(em: EntityManager, communityIds: readonly string[]): Promise<Map<string, RoutingRules>> {
    const ids = [...new Set(communityIds)];
    const policies = await this.reference.get<PolicyRules>('routing_policy', [GLOBAL_ROUTING_SCOPE, ...ids.map(communityRoutingScope)], async (keys) => {
      const rows = await em.find(RoutingPolicy, { scopeKey: { $in: keys } });
      return new Map(rows.map((r) => [r.scopeKey, { categories: { ...r.categories }, criticalToBoth: r.criticalToBoth, allowSelfVerify: r.allowSelfVerify }]));
    });
    const global = policies.get(GLOBAL_ROUTING_SCOPE);
    return new Map(ids.map((id) => [id, merge(global, policies.get(communityRoutingScope(id)))]));
  }

  async view(principal: Principal, communityId?: string): Promise<RoutingPolicyView> {
    const em = this.em.fork();
    if (communityId !== undefined) {
      const community = await findCommunity(em, communityId);
      await assertCommunityVisible(em, principal.scope, community);
    }
    const keys = communityId === undefined ? [GLOBAL_ROUTING_SCOPE] : [GLOBAL_ROUTING_SCOPE, communityRoutingScope(communityId)];
    const rows = await em.find(RoutingPolicy, { scopeKey: { $in: keys } });
    const global = rows.find((r) => r.scopeKey === GLOBAL_ROUTING_SCOPE);
    const community = rows.find((r) => r.scopeKey !== GLOBAL_ROUTING_SCOPE);
    return {
      communityId: communityId ?? null,
      effective: merge(global, community),
      defaults: DEFAULT_ROUTING,
      global: global ? stored(global) : null,
      community: community ? stored(community) : null,
    };
  }

  /** Replaces the policy of one scope (all its categories at once). */
  async put(principal: Principal, input: RoutingPolicyInput): Promise<RoutingPolicyView> {
    assertPermission(principal, Permission.RulesWrite);
    const categories = checkCategories(input.categories);
    const em = this.em.fork();
    let scopeKey = GLOBAL_ROUTING_SCOPE;
    if (input.communityId === undefined) {
      if (!isAdmin(principal) && !principal.grants.some((g) => g.role === Role.CityOfficer)) {
        throw DomainError.forbidden('the global routing policy is set by administrators and city officers; give communityId to set one community');
      }
    } else {
      const community = await findCommunity(em, input.communityId);
      await assertCommunityVisible(em, principal.scope, community);
      if (!unitInScope(principal.scope, community)) throw DomainError.forbidden(`the routing policy of ${community.name} is set by the community or the units above it`);
      scopeKey = communityRoutingScope(community.id);
    }
    await em.transactional(async (tx) => {
      const rows = await tx.find(RoutingPolicy, { scopeKey: { $in: [GLOBAL_ROUTING_SCOPE, scopeKey] } });
      const existing = rows.find((r) => r.scopeKey === scopeKey);
      const inherited = scopeKey === GLOBAL_ROUTING_SCOPE ? DEFAULT_ROUTING : merge(rows.find((r) => r.scopeKey === GLOBAL_ROUTING_SCOPE), undefined);
      const before = existing ? stored(existing) : null;
      const policy = existing ?? tx.create(RoutingPolicy, { scopeKey, categories });
      policy.categories = categories;
      policy.criticalToBoth = input.criticalToBoth ?? existing?.criticalToBoth ?? inherited.criticalToBoth;
      policy.allowSelfVerify = input.allowSelfVerify ?? existing?.allowSelfVerify ?? inherited.allowSelfVerify;
      await tx.flush();
      this.audit.record(tx, {
        subjectType: 'routing_policy',
        subjectId: policy.id,
        action: existing ? 'changed' : 'created',
        actor: actorOf(principal),
        details: { scopeKey, before, after: stored(policy) },
      });
      await tx.flush();
    });
    return this.view(principal, input.communityId);
  }
}

/** What one stored policy says (a community's overlays the global one). */
type PolicyRules = Pick<RoutingPolicy, 'categories' | 'criticalToBoth' | 'allowSelfVerify'>;

function merge(global: PolicyRules | undefined, community: PolicyRules | undefined): RoutingRules {
  return {
    categories: { ...DEFAULT_ROUTING.categories, ...(global?.categories ?? {}), ...(community?.categories ?? {}) },
    criticalToBoth: community?.criticalToBoth ?? global?.criticalToBoth ?? DEFAULT_ROUTING.criticalToBoth,
    allowSelfVerify: community?.allowSelfVerify ?? global?.allowSelfVerify ?? DEFAULT_ROUTING.allowSelfVerify,
  };
}

function stored(policy: RoutingPolicy): StoredRoutingPolicy {
  return {
    id: policy.id,
    scopeKey: policy.scopeKey,
    categories: { ...policy.categories },
    criticalToBoth: policy.criticalToBoth,
    allowSelfVerify: policy.allowSelfVerify,
    updatedAt: policy.updatedAt,
  };
}

function checkCategories(input: Record<string, string>): Record<string, RoutingTarget> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw DomainError.validation('categories must map categories to targets', 'categories');
  }
  const entries = Object.entries(input);
  if (entries.length > 50) throw DomainError.validation('categories holds at most 50 categories', 'categories');
  const out: Record<string, RoutingTarget> = {};
  for (const [key, target] of entries) {
    const category = assertCategory(key, `categories.${key}`);
    if (!(ROUTING_TARGETS as readonly string[]).includes(target)) {
      throw DomainError.validation(`categories.${key}: unknown target ${String(target)} (one of ${ROUTING_TARGETS.join(', ')})`, `categories.${key}`);
    }
    out[category] = target as RoutingTarget;
  }
  return out;
}

async function findCommunity(em: EntityManager, id: string): Promise<OrgUnit> {
  assertId(id, 'communityId');
  const unit = await em.findOne(OrgUnit, { id });
  if (!unit) throw DomainError.validation(`unknown community ${id}`, 'communityId');
  if (unit.level !== OrgLevel.Community) throw DomainError.validation(`unit ${unit.code} is a ${unit.level}, not a community`, 'communityId');
  return unit;
}
