import { AlertCategory, AlertSeverity, LocalisedName } from '../../devices/device-type';

export type ThresholdOp = 'gt' | 'lt';
export const THRESHOLD_OPS: readonly ThresholdOp[] = ['gt', 'lt'];

/** A rule's kind with its parameters (DESIGN.md section 5), as validated by rule-params.ts. */
export type RuleSpec =
  | { kind: 'event'; params: { eventType: string } }
  | { kind: 'threshold'; params: { field: string; op: ThresholdOp; limit: number } }
  | { kind: 'duration'; params: { field: string; op: ThresholdOp; limit: number; forMinutes: number } }
  | { kind: 'repetition'; params: { eventType: string; times: number; withinMinutes: number } }
  | { kind: 'offline'; params: Record<string, never> }
  | { kind: 'care_watch'; params: { quietHours: number } };

/** Where a rule comes from: the catalogue, or a stored override at one of three scopes. */
export type RuleSource = 'default' | 'global' | 'community' | 'compound';

/** Narrower scopes win. */
export const SOURCE_RANK: Record<RuleSource, number> = { default: 0, global: 1, community: 2, compound: 3 };

/** A rule as the engine applies it and the API shows it. */
export type EffectiveRule = RuleSpec & {
  deviceType: string;
  alertType: string;
  severity: AlertSeverity;
  category: AlertCategory;
  name: LocalisedName;
  /** A disabled override switches the defaults it replaces off in its scope. */
  enabled: boolean;
  source: RuleSource;
  /** The stored override's id; absent for a catalogue default. */
  ruleId?: string;
  communityId?: string;
  compoundId?: string;
};

/** "<deviceId>/<alertType>": the alert's open key (one open alert per device and type). */
export function openKeyOf(deviceId: string, alertType: string): string {
  return `${deviceId}/${alertType}`;
}

/** Does a value breach a threshold? */
export function breaches(op: ThresholdOp, value: number, limit: number): boolean {
  return op === 'gt' ? value > limit : value < limit;
}
