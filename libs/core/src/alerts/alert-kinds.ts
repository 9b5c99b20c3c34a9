import { AlertCategory, AlertSeverity } from '../devices/device-type';

/** Rule kinds (DESIGN.md section 5). */
export const RULE_KINDS = ['event', 'threshold', 'duration', 'repetition', 'offline', 'care_watch'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const RULE_KIND_LABELS: Record<RuleKind, { en: string; zh: string }> = {
  event: { en: 'Event mapping', zh: '事件映射' },
  threshold: { en: 'Threshold', zh: '阈值' },
  duration: { en: 'Condition held for N minutes', zh: '持续N分钟' },
  repetition: { en: 'N times in M minutes', zh: 'M分钟内N次' },
  offline: { en: 'Device offline', zh: '设备离线' },
  care_watch: { en: 'Care watch (no activity)', zh: '关爱看护(无活动)' },
};

export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'major', 'minor', 'warning'];
export const ALERT_CATEGORIES: readonly AlertCategory[] = ['safety', 'facility'];

export const SEVERITY_LABELS: Record<AlertSeverity, { en: string; zh: string }> = {
  critical: { en: 'Critical', zh: '紧急' },
  major: { en: 'Major', zh: '重要' },
  minor: { en: 'Minor', zh: '次要' },
  warning: { en: 'Warning', zh: '提示' },
};

/** Alert states: the work order is a separate thing with its own states. */
export type AlertStatus = 'active' | 'acknowledged' | 'cleared';

export const ALERT_STATUS_LABELS: Record<AlertStatus, { en: string; zh: string }> = {
  active: { en: 'Active', zh: '活动' },
  acknowledged: { en: 'Acknowledged', zh: '已确认' },
  cleared: { en: 'Cleared', zh: '已清除' },
};

export type ClearedBy = 'rule' | 'manual';

export const CATEGORY_LABELS: Record<AlertCategory, { en: string; zh: string }> = {
  safety: { en: 'Safety (grid worker)', zh: '安全(网格员)' },
  facility: { en: 'Facility (property company)', zh: '设施(物业)' },
};

/** Which kind of input a rule kind listens to; an override replaces the defaults of its alert type and family only. */
export type RuleFamily = 'event' | 'telemetry' | 'presence' | 'activity';

export const RULE_FAMILY: Record<RuleKind, RuleFamily> = {
  event: 'event',
  repetition: 'event',
  threshold: 'telemetry',
  duration: 'telemetry',
  offline: 'presence',
  care_watch: 'activity',
};

/** Care watch: the alert a silent household raises, and the device types that show activity. */
export const CARE_ALERT = {
  type: 'care.no_activity',
  name: { en: 'No activity at a watched household', zh: '关爱对象长时间无活动' },
  severity: 'major' as AlertSeverity,
  category: 'safety' as AlertCategory,
  defaultQuietHours: 24,
} as const;
export const CARE_WATCH_DEVICE_TYPES: readonly string[] = ['door_contact', 'water_meter'];

export const ALERT_STATUSES: readonly AlertStatus[] = ['active', 'acknowledged', 'cleared'];
