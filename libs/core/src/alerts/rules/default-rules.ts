import { DeviceTypeSpec } from '../../devices/device-type';
import { DEVICE_OFFLINE_ALERT, DEVICE_TYPES, getDeviceType } from '../../devices/device-types.catalogue';
import { CARE_ALERT, CARE_WATCH_DEVICE_TYPES } from '../alert-kinds';
import { EffectiveRule } from './rule-definition';

/**
 * The catalogue's rules as data: each event type with an `alert` maps to an event rule; each
 * default threshold is a threshold rule, or a duration rule when it must hold `forMinutes`;
 * every type has a device-offline rule; door contacts and water meters carry the care-watch
 * rule (it acts only for registered care subjects).
 */
function buildDefaults(type: DeviceTypeSpec): EffectiveRule[] {
  const common = { deviceType: type.code, enabled: true, source: 'default' as const };
  const rules: EffectiveRule[] = [];
  for (const event of type.events) {
    if (!event.alert) continue;
    rules.push({
      ...common,
      kind: 'event',
      params: { eventType: event.type },
      alertType: event.type,
      severity: event.alert.severity,
      category: event.alert.category,
      name: { en: event.name.en, zh: event.name.zh },
    });
  }
  for (const threshold of type.thresholds) {
    const name = { en: threshold.name.en, zh: threshold.name.zh };
    const base = { ...common, alertType: threshold.alertType, severity: threshold.severity, category: threshold.category, name };
    if (threshold.forMinutes !== undefined) {
      rules.push({ ...base, kind: 'duration', params: { field: threshold.field, op: threshold.op, limit: threshold.limit, forMinutes: threshold.forMinutes } });
    } else {
      rules.push({ ...base, kind: 'threshold', params: { field: threshold.field, op: threshold.op, limit: threshold.limit } });
    }
  }
  rules.push({
    ...common,
    kind: 'offline',
    params: {},
    alertType: DEVICE_OFFLINE_ALERT.type,
    severity: type.offlineSeverity,
    category: type.category,
    name: { en: DEVICE_OFFLINE_ALERT.name.en, zh: DEVICE_OFFLINE_ALERT.name.zh },
  });
  if (CARE_WATCH_DEVICE_TYPES.includes(type.code)) {
    rules.push({
      ...common,
      kind: 'care_watch',
      params: { quietHours: CARE_ALERT.defaultQuietHours },
      alertType: CARE_ALERT.type,
      severity: CARE_ALERT.severity,
      category: CARE_ALERT.category,
      name: { en: CARE_ALERT.name.en, zh: CARE_ALERT.name.zh },
    });
  }
  return rules;
}

const DEFAULTS: ReadonlyMap<string, readonly EffectiveRule[]> = new Map(DEVICE_TYPES.map((t) => [t.code, Object.freeze(buildDefaults(t))]));

/** The catalogue defaults of a device type (empty for an unknown type). */
export function defaultRulesOf(deviceType: string): readonly EffectiveRule[] {
  return DEFAULTS.get(deviceType) ?? [];
}

/** Event type → alert types it clears (`clears` in the catalogue), per device type. */
const CLEARS: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>> = new Map(
  DEVICE_TYPES.map((t) => {
    const map = new Map<string, string[]>();
    for (const event of t.events) {
      if (event.clears) map.set(event.type, [...(map.get(event.type) ?? []), event.clears]);
    }
    return [t.code, map];
  }),
);

export function clearingEventsOf(deviceType: string): ReadonlyMap<string, readonly string[]> {
  return CLEARS.get(deviceType) ?? new Map();
}

/** The default's name for an alert type of a device type (a new override borrows it when it gives none). */
export function defaultNameOf(deviceType: string, alertType: string): { en: string; zh: string } | undefined {
  const rule = defaultRulesOf(deviceType).find((r) => r.alertType === alertType);
  if (rule) return rule.name;
  const event = getDeviceType(deviceType)?.events.find((e) => e.type === alertType);
  return event ? { en: event.name.en, zh: event.name.zh } : undefined;
}
