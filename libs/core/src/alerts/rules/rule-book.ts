import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { AlertRule } from '../entities/alert-rule.entity';
import { defaultRulesOf } from './default-rules';
import { EffectiveRule } from './rule-definition';
import { CompiledRules, fromStored } from './rule-resolution';

/** Where a device sits, as far as rule scopes go. */
export interface RuleScopeRef {
  communityId: string;
  compoundId?: string | null;
}

interface TypeOverrides {
  global: EffectiveRule[];
  byCommunity: Map<string, EffectiveRule[]>;
  byCompound: Map<string, EffectiveRule[]>;
}

/**
 * Every stored override at one moment, with the effective rules of each (device type, scope)
 * compiled on first use. Overrides are few (a city sets a handful per type and community), so
 * the whole table is one small read.
 */
export class RuleSnapshot {
  private readonly byType = new Map<string, TypeOverrides>();
  private readonly compiled = new Map<string, CompiledRules>();
  private readonly unions = new Map<string, CompiledRules>();

  constructor(overrides: readonly EffectiveRule[]) {
    for (const rule of overrides) {
      let entry = this.byType.get(rule.deviceType);
      if (!entry) {
        entry = { global: [], byCommunity: new Map(), byCompound: new Map() };
        this.byType.set(rule.deviceType, entry);
      }
      if (rule.source === 'compound' && rule.compoundId) append(entry.byCompound, rule.compoundId, rule);
      else if (rule.source === 'community' && rule.communityId) append(entry.byCommunity, rule.communityId, rule);
      else entry.global.push(rule);
    }
  }

  /** Whether the effective rules of this type differ between places (so the device's placement is needed). */
  dependsOnPlacement(deviceType: string): boolean {
    const entry = this.byType.get(deviceType);
    return entry !== undefined && (entry.byCommunity.size > 0 || entry.byCompound.size > 0);
  }

  /** The effective rules of a device type at a place; without a place, those outside any scoped override. */
  rulesFor(deviceType: string, place?: RuleScopeRef): CompiledRules {
    const entry = this.byType.get(deviceType);
    const community = place ? entry?.byCommunity.get(place.communityId) : undefined;
    const compound = place?.compoundId ? entry?.byCompound.get(place.compoundId) : undefined;
    const key = `${deviceType}|${community ? place?.communityId : ''}|${compound ? place?.compoundId : ''}`;
    let rules = this.compiled.get(key);
    if (!rules) {
      rules = CompiledRules.of(deviceType, [...(entry?.global ?? []), ...(community ?? []), ...(compound ?? [])]);
      this.compiled.set(key, rules);
    }
    return rules;
  }

  /** Every enabled rule of the type in any scope: a message none of them mentions can be skipped without a placement. */
  anyScope(deviceType: string): CompiledRules {
    let rules = this.unions.get(deviceType);
    if (!rules) {
      const entry = this.byType.get(deviceType);
      const all = [
        ...defaultRulesOf(deviceType),
        ...(entry?.global ?? []),
        ...[...(entry?.byCommunity.values() ?? [])].flat(),
        ...[...(entry?.byCompound.values() ?? [])].flat(),
      ];
      rules = new CompiledRules(deviceType, all);
      this.unions.set(deviceType, rules);
    }
    return rules;
  }
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** How long a process keeps the overrides before reading them again; a change made in this process applies at once. */
export const RULE_CACHE_TTL_MS = 5_000;

/**
 * The rules in memory, per process: the ingest consults them for every stored batch, so the
 * overrides are read at most once per TTL, never per event. A rule change through the API
 * invalidates this process's copy at once; other processes see it within the TTL.
 */
@Injectable()
export class RuleBook {
  private cached?: { snapshot: RuleSnapshot; loadedAt: number };
  private loading?: Promise<RuleSnapshot>;
  private generation = 0;

  /** Reads with `em` (inside the caller's transaction: on SQLite it holds the one connection). */
  async current(em: EntityManager, now = Date.now()): Promise<RuleSnapshot> {
    if (this.cached && now - this.cached.loadedAt < RULE_CACHE_TTL_MS) return this.cached.snapshot;
    if (!this.loading) {
      const generation = this.generation;
      const startedAt = Date.now();
      this.loading = this.load(em)
        .then((snapshot) => {
          // A change made while loading may be missing from what was read: keep it, but not as fresh.
          this.cached = { snapshot, loadedAt: generation === this.generation ? startedAt : 0 };
          return snapshot;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  invalidate(): void {
    this.generation += 1;
    this.cached = undefined;
  }

  private async load(em: EntityManager): Promise<RuleSnapshot> {
    const rows = await em.find(AlertRule, {}, { disableIdentityMap: true });
    return new RuleSnapshot(rows.map(fromStored));
  }
}
