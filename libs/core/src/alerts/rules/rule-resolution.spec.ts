import { defaultRulesOf } from './default-rules';
import { RuleSnapshot } from './rule-book';
import { EffectiveRule } from './rule-definition';
import { CompiledRules, mergeRules } from './rule-resolution';

function override(fields: Partial<EffectiveRule> & Pick<EffectiveRule, 'kind' | 'params' | 'alertType' | 'source'>): EffectiveRule {
  return {
    deviceType: 'smoke',
    severity: 'minor',
    category: 'facility',
    name: { en: 'x', zh: 'x' },
    enabled: true,
    ...fields,
  } as EffectiveRule;
}

describe('effective rules', () => {
  it('derive the defaults of a type from the catalogue: events with an alert, thresholds, durations, offline', () => {
    const gas = defaultRulesOf('gas');
    expect(gas.filter((r) => r.kind === 'event').map((r) => r.alertType).sort()).toEqual(['device.fault', 'gas.alarm', 'gas.co_alarm', 'gas.sensor_expired']);
    expect(gas.filter((r) => r.kind === 'duration').map((r) => r.alertType).sort()).toEqual(['gas.co_high', 'gas.lel_high']);
    expect(gas.filter((r) => r.kind === 'offline')).toHaveLength(1);
    expect(gas.some((r) => r.kind === 'care_watch')).toBe(false);
    expect(defaultRulesOf('water_meter').some((r) => r.kind === 'care_watch')).toBe(true);
    expect(defaultRulesOf('toaster')).toEqual([]);
  });

  it('let the narrowest override of an alert type replace the defaults of its family and keep the others', () => {
    const heatGlobal = override({ kind: 'threshold', params: { field: 'temperature', op: 'gt', limit: 50 }, alertType: 'smoke.heat', source: 'global' });
    const heatCompound = override({ kind: 'threshold', params: { field: 'temperature', op: 'gt', limit: 45 }, alertType: 'smoke.heat', source: 'compound' });
    const batteryCommunity = override({ kind: 'threshold', params: { field: 'battery', op: 'lt', limit: 30 }, alertType: 'battery.low', source: 'community' });
    const merged = mergeRules(defaultRulesOf('smoke'), [heatCompound, heatGlobal, batteryCommunity]);
    expect(merged.filter((r) => r.alertType === 'smoke.heat')).toEqual([heatCompound]);
    // The battery.low event mapping (event family) stays beside the overridden threshold.
    expect(merged.filter((r) => r.alertType === 'battery.low').map((r) => `${r.kind}:${r.source}`).sort()).toEqual(['event:default', 'threshold:community']);
    expect(merged.find((r) => r.alertType === 'smoke.alarm')?.source).toBe('default');
  });

  it('leave a default switched off where a disabled override replaces it', () => {
    const off = override({ kind: 'event', params: { eventType: 'smoke.alarm' }, alertType: 'smoke.alarm', source: 'community', enabled: false });
    const compiled = new CompiledRules('smoke', mergeRules(defaultRulesOf('smoke'), [off]));
    expect(compiled.events.get('smoke.alarm')).toBeUndefined();
    expect(compiled.clears.get('smoke.clear')).toEqual(['smoke.alarm']);
  });

  it('are picked per place from one snapshot of the overrides', () => {
    const community = override({ kind: 'threshold', params: { field: 'temperature', op: 'gt', limit: 40 }, alertType: 'smoke.heat', source: 'community', communityId: 'c1' });
    const snapshot = new RuleSnapshot([community]);
    const limitAt = (place?: { communityId: string }) => {
      const rule = snapshot.rulesFor('smoke', place).telemetry.get('temperature')?.[0];
      return rule?.kind === 'threshold' ? rule.params.limit : undefined;
    };
    expect(snapshot.dependsOnPlacement('smoke')).toBe(true);
    expect(snapshot.dependsOnPlacement('gas')).toBe(false);
    expect(limitAt({ communityId: 'c1' })).toBe(40);
    expect(limitAt({ communityId: 'c2' })).toBe(57);
    expect(limitAt()).toBe(57);
  });
});
