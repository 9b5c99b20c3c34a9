import { AlertCategory, AlertSeverity, DefaultThresholdRule, EventTypeSpec, LocalisedName, TelemetryFieldSpec } from './device-type';

/** Builders and specs shared by the catalogue's device types. */

export const name = (en: string, zh: string): LocalisedName => ({ en, zh });
export const field = (key: string, en: string, zh: string, unit: string, min: number, max: number): TelemetryFieldSpec => ({
  key,
  name: name(en, zh),
  unit,
  min,
  max,
});
export const alert = (severity: AlertSeverity, category: AlertCategory) => ({ severity, category });
export const event = (type: string, en: string, zh: string, extra: Omit<EventTypeSpec, 'type' | 'name'> = {}): EventTypeSpec => ({
  type,
  name: name(en, zh),
  ...extra,
});

/** The alert type raised when a device misses its heartbeat (plus grace); its category is the type's. */
export const DEVICE_OFFLINE_ALERT = { type: 'device.offline', name: name('Device offline', '设备离线') } as const;

// Shared specs: the same event type means the same thing on every device type that sends it.
export const BATTERY = field('battery', 'Battery level', '电池电量', '%', 0, 100);
/** NB-IoT RSRP reaches -140 dBm; LoRa and Wi-Fi RSSI sit inside the same range. */
export const RSSI = field('rssi', 'Signal strength', '信号强度', 'dBm', -140, 0);
export const DEVICE_FAULT = event('device.fault', 'Device fault', '设备故障', { alert: alert('minor', 'facility') });
export const BATTERY_LOW = event('battery.low', 'Battery low', '电池电量低', { alert: alert('warning', 'facility') });
export const CAMERA_OCCLUDED = event('camera.occluded', 'Camera lens blocked', '摄像头被遮挡', { alert: alert('minor', 'facility') });
/** Below 20 % a primary lithium cell has weeks to months left: time to schedule a replacement. */
export const BATTERY_RULE: DefaultThresholdRule = {
  field: 'battery',
  op: 'lt',
  limit: 20,
  alertType: 'battery.low',
  name: BATTERY_LOW.name,
  severity: 'warning',
  category: 'facility',
};
