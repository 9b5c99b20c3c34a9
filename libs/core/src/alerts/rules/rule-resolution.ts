import { RULE_FAMILY } from '../alert-kinds';
import { AlertRule } from '../entities/alert-rule.entity';
import { clearingEventsOf, defaultRulesOf } from './default-rules';
import { EffectiveRule, RuleSource, RuleSpec, SOURCE_RANK } from './rule-definition';

/**
 * Effective rules = catalogue defaults overlaid by stored overrides. For one alert type the
 * narrowest override wins (compound over community over global); it replaces the defaults of
 * that alert type that listen to the same kind of input (its family: events, telemetry,
 * presence, activity), so overriding the battery threshold keeps the device's own
 * "battery.low" event. A disabled winner switches those defaults off in its scope.
 */
export function mergeRules(defaults: readonly EffectiveRule[], overrides: readonly EffectiveRule[]): EffectiveRule[] {
  const winners = new Map<string, EffectiveRule>();
  for (const rule of overrides) {
    const current = winners.get(rule.alertType);
    if (!current || SOURCE_RANK[rule.source] > SOURCE_RANK[current.source]) winners.set(rule.alertType, rule);
  }
  const merged = defaults.filter((rule) => {
    const winner = winners.get(rule.alertType);
    return !winner || RULE_FAMILY[winner.kind] !== RULE_FAMILY[rule.kind];
  });
  merged.push(...winners.values());
  return merged;
}

export function sourceOfScopeKey(scopeKey: string): RuleSource {
  if (scopeKey.startsWith('compound:')) return 'compound';
  if (scopeKey.startsWith('unit:')) return 'community';
  return 'global';
}

/** A stored override as an effective rule (its params were validated when stored). */
export function fromStored(row: AlertRule): EffectiveRule {
  return {
    kind: row.kind,
    params: row.params,
    deviceType: row.deviceType,
    alertType: row.alertType,
    severity: row.severity,
    category: row.category,
    name: { en: row.nameEn, zh: row.nameZh },
    enabled: row.enabled,
    source: sourceOfScopeKey(row.scopeKey),
    ruleId: row.id,
    communityId: row.communityId ?? undefined,
    compoundId: row.compoundId ?? undefined,
  } as EffectiveRule;
}

type RuleOf<K extends RuleSpec['kind']> = Extract<EffectiveRule, { kind: K }>;

/** Enabled rules of one device type in one scope, indexed for the engine. */
export class CompiledRules {
  /** event and repetition rules by event type. */
  readonly events = new Map<string, (RuleOf<'event'> | RuleOf<'repetition'>)[]>();
  /** threshold and duration rules by telemetry field. */
  readonly telemetry = new Map<string, (RuleOf<'threshold'> | RuleOf<'duration'>)[]>();
  readonly offline?: RuleOf<'offline'>;
  readonly careWatch?: RuleOf<'care_watch'>;
  /** event type → alert types it clears. */
  readonly clears: ReadonlyMap<string, readonly string[]>;

  constructor(
    readonly deviceType: string,
    readonly rules: readonly EffectiveRule[],
  ) {
    let offline: RuleOf<'offline'> | undefined;
    let careWatch: RuleOf<'care_watch'> | undefined;
    for (const rule of rules) {
      if (!rule.enabled) continue;
      switch (rule.kind) {
        case 'event':
        case 'repetition':
          push(this.events, rule.params.eventType, rule);
          break;
        case 'threshold':
        case 'duration':
          push(this.telemetry, rule.params.field, rule);
          break;
        case 'offline':
          offline = rule;
          break;
        case 'care_watch':
          careWatch = rule;
          break;
      }
    }
    this.offline = offline;
    this.careWatch = careWatch;
    this.clears = clearingEventsOf(deviceType);
  }

  static of(deviceType: string, overrides: readonly EffectiveRule[]): CompiledRules {
    return new CompiledRules(deviceType, mergeRules(defaultRulesOf(deviceType), overrides));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
