import { AlertCategory, AlertSeverity, DeviceTypeSpec } from '../../devices/device-type';
import { DEVICE_OFFLINE_ALERT, DEVICE_TYPE_CODES, getDeviceType, getEventType, getTelemetryField } from '../../devices/device-types.catalogue';
import { DomainError } from '../../shared/domain-error';
import { ALERT_CATEGORIES, ALERT_SEVERITIES, CARE_ALERT, CARE_WATCH_DEVICE_TYPES, RULE_KINDS, RuleKind } from '../alert-kinds';
import { RuleSpec, THRESHOLD_OPS, ThresholdOp } from './rule-definition';

/**
 * Validation of rules given through the API: every error is a 400 naming the field
 * ("params.limit") and saying what would be accepted.
 */

/** Bounds that keep a rule meaningful and its stored state small. */
export const RULE_LIMITS = {
  maxMinutes: 7 * 24 * 60,
  maxTimes: 1000,
  quietHours: { min: 1, max: 168 },
} as const;

const PARAM_KEYS: Record<RuleKind, readonly string[]> = {
  event: ['eventType'],
  threshold: ['field', 'op', 'limit'],
  duration: ['field', 'op', 'limit', 'forMinutes'],
  repetition: ['eventType', 'times', 'withinMinutes'],
  offline: [],
  care_watch: ['quietHours'],
};

const ALERT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

export function checkDeviceType(code: unknown, field = 'deviceType'): DeviceTypeSpec {
  const type = typeof code === 'string' ? getDeviceType(code) : undefined;
  if (!type) throw DomainError.validation(`${field} must be a device type code (${DEVICE_TYPE_CODES.join(', ')}); got ${JSON.stringify(code)}`, field);
  return type;
}

export function checkKind(kind: unknown): RuleKind {
  if (typeof kind !== 'string' || !(RULE_KINDS as readonly string[]).includes(kind)) {
    throw DomainError.validation(`kind must be one of ${RULE_KINDS.join(', ')}; got ${JSON.stringify(kind)}`, 'kind');
  }
  return kind as RuleKind;
}

export function checkSeverity(value: unknown, field = 'severity'): AlertSeverity {
  if (typeof value !== 'string' || !(ALERT_SEVERITIES as readonly string[]).includes(value)) {
    throw DomainError.validation(`${field} must be one of ${ALERT_SEVERITIES.join(', ')}; got ${JSON.stringify(value)}`, field);
  }
  return value as AlertSeverity;
}

export function checkCategory(value: unknown, field = 'category'): AlertCategory {
  if (typeof value !== 'string' || !(ALERT_CATEGORIES as readonly string[]).includes(value)) {
    throw DomainError.validation(`${field} must be one of ${ALERT_CATEGORIES.join(', ')}; got ${JSON.stringify(value)}`, field);
  }
  return value as AlertCategory;
}

export function checkAlertType(value: unknown): string {
  if (typeof value !== 'string' || value.length > 64 || !ALERT_TYPE_PATTERN.test(value)) {
    throw DomainError.validation('alertType must be 1-64 lower-case letters, digits and underscores in dot-separated parts, e.g. "smoke.alarm"', 'alertType');
  }
  return value;
}

function requireNumber(params: Record<string, unknown>, key: string): number {
  const value = params[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw DomainError.validation(`params.${key} must be a number`, `params.${key}`);
  return value;
}

function positiveMinutes(params: Record<string, unknown>, key: string): number {
  const value = requireNumber(params, key);
  if (value <= 0 || value > RULE_LIMITS.maxMinutes) {
    throw DomainError.validation(`params.${key} must be greater than 0 and at most ${RULE_LIMITS.maxMinutes} (7 days); got ${value}`, `params.${key}`);
  }
  return value;
}

function eventTypeOf(type: DeviceTypeSpec, params: Record<string, unknown>): string {
  const eventType = params.eventType;
  if (typeof eventType !== 'string' || eventType.length === 0) throw DomainError.validation('params.eventType is required', 'params.eventType');
  if (!getEventType(type, eventType)) {
    throw DomainError.validation(
      `params.eventType ${eventType} is not sent by ${type.code} devices (they send ${type.events.map((e) => e.type).join(', ')})`,
      'params.eventType',
    );
  }
  return eventType;
}

function telemetryOf(type: DeviceTypeSpec, params: Record<string, unknown>): { field: string; op: ThresholdOp; limit: number } {
  const key = params.field;
  if (typeof key !== 'string' || key.length === 0) throw DomainError.validation('params.field is required', 'params.field');
  const spec = getTelemetryField(type, key);
  if (!spec) {
    const known = type.telemetry.map((f) => f.key);
    throw DomainError.validation(
      `params.field ${key} is not a telemetry field of ${type.code} devices (${known.length > 0 ? `they report ${known.join(', ')}` : 'they report no telemetry'})`,
      'params.field',
    );
  }
  const op = params.op;
  if (typeof op !== 'string' || !(THRESHOLD_OPS as readonly string[]).includes(op)) {
    throw DomainError.validation(`params.op must be one of ${THRESHOLD_OPS.join(', ')} (above, below); got ${JSON.stringify(op)}`, 'params.op');
  }
  const limit = requireNumber(params, 'limit');
  if (limit < spec.min || limit > spec.max) {
    const unit = spec.unit ? ` ${spec.unit}` : '';
    throw DomainError.validation(
      `params.limit ${limit} is outside the valid range of ${type.code}.${key}: ${spec.min}..${spec.max}${unit}`,
      'params.limit',
    );
  }
  return { field: key, op: op as ThresholdOp, limit };
}

/** The kind and parameters of a rule for a device type and alert type, checked; unknown parameters are refused. */
export function checkRuleSpec(type: DeviceTypeSpec, alertType: string, kindInput: unknown, paramsInput: unknown): RuleSpec {
  const kind = checkKind(kindInput);
  if (paramsInput !== undefined && paramsInput !== null && (typeof paramsInput !== 'object' || Array.isArray(paramsInput))) {
    throw DomainError.validation('params must be an object', 'params');
  }
  const params = (paramsInput ?? {}) as Record<string, unknown>;
  const extra = Object.keys(params).filter((k) => !PARAM_KEYS[kind].includes(k));
  if (extra.length > 0) {
    const allowed = PARAM_KEYS[kind].length > 0 ? PARAM_KEYS[kind].join(', ') : 'none';
    throw DomainError.validation(`params.${extra[0]} is not a parameter of a ${kind} rule (allowed: ${allowed})`, `params.${extra[0]}`);
  }
  switch (kind) {
    case 'event':
      return { kind, params: { eventType: eventTypeOf(type, params) } };
    case 'threshold':
      return { kind, params: telemetryOf(type, params) };
    case 'duration': {
      const base = telemetryOf(type, params);
      return { kind, params: { ...base, forMinutes: positiveMinutes(params, 'forMinutes') } };
    }
    case 'repetition': {
      const eventType = eventTypeOf(type, params);
      const times = requireNumber(params, 'times');
      if (!Number.isInteger(times) || times < 2 || times > RULE_LIMITS.maxTimes) {
        throw DomainError.validation(`params.times must be a whole number from 2 to ${RULE_LIMITS.maxTimes}; got ${times}`, 'params.times');
      }
      return { kind, params: { eventType, times, withinMinutes: positiveMinutes(params, 'withinMinutes') } };
    }
    case 'offline':
      if (alertType !== DEVICE_OFFLINE_ALERT.type) {
        throw DomainError.validation(`an offline rule raises ${DEVICE_OFFLINE_ALERT.type}; alertType must be ${DEVICE_OFFLINE_ALERT.type}`, 'alertType');
      }
      return { kind, params: {} };
    case 'care_watch': {
      if (!CARE_WATCH_DEVICE_TYPES.includes(type.code)) {
        throw DomainError.validation(`care watch uses ${CARE_WATCH_DEVICE_TYPES.join(' or ')} devices, not ${type.code}`, 'deviceType');
      }
      if (alertType !== CARE_ALERT.type) {
        throw DomainError.validation(`a care_watch rule raises ${CARE_ALERT.type}; alertType must be ${CARE_ALERT.type}`, 'alertType');
      }
      return { kind, params: { quietHours: checkQuietHours(params.quietHours, 'params.quietHours') } };
    }
  }
}

export function checkQuietHours(value: unknown, field: string): number {
  const { min, max } = RULE_LIMITS.quietHours;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw DomainError.validation(`${field} must be a number of hours from ${min} to ${max}; got ${JSON.stringify(value)}`, field);
  }
  return value;
}
