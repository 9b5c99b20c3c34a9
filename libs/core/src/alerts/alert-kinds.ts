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
