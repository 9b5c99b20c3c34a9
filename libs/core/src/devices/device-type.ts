/**
 * The device-type catalogue's shape (DESIGN.md section 4). The catalogue itself is data in
 * device-types.catalogue.ts; the ingest contract validates payloads against it and the
 * alert rules take their defaults from it.
 */
export type AlertSeverity = 'critical' | 'major' | 'minor' | 'warning';

/** Safety alerts go to the grid worker, facility alerts to the property company (DESIGN.md section 5). */
export type AlertCategory = 'safety' | 'facility';

export interface LocalisedName {
  en: string;
  zh: string;
}

export interface TelemetryFieldSpec {
  /** Key in the telemetry `values` object, e.g. "ppm". */
  key: string;
  name: LocalisedName;
  /** Unit symbol, e.g. "ppm", "%", "MPa", "dBm", "m³". Empty for a count or a flag. */
  unit: string;
  /** Valid range; a value outside it is rejected as out of range. */
  min: number;
  max: number;
}

export interface EventTypeSpec {
  /** As sent in the event payload's `type`, e.g. "smoke.alarm". */
  type: string;
  name: LocalisedName;
  /** Present when the event raises an alert by default (the alerts issue turns these into rules). */
  alert?: { severity: AlertSeverity; category: AlertCategory };
  /** Carries data.subject (card number, face id) that must be pseudonymised on arrival. */
  personalSubject?: boolean;
  /** The device reports the condition is over: clears the active alert of this alert type. */
  clears?: string;
}

export interface DefaultThresholdRule {
  field: string;
  /** Alert when the value is above (`gt`) or below (`lt`) the limit. */
  op: 'gt' | 'lt';
  limit: number;
  /** Optional: only after the condition held this long ("for N minutes"). */
  forMinutes?: number;
  alertType: string;
  /** Name of the alert raised, e.g. "Gas concentration high 燃气浓度超标". */
  name: LocalisedName;
  severity: AlertSeverity;
  category: AlertCategory;
}

export interface DeviceTypeSpec {
  /** Catalogue key, e.g. "smoke". */
  code: string;
  name: LocalisedName;
  /** Expected heartbeat interval; a device silent for longer (with grace) is offline. */
  heartbeatSeconds: number;
  telemetry: TelemetryFieldSpec[];
  events: EventTypeSpec[];
  thresholds: DefaultThresholdRule[];
  /** Category of the device-offline alert and of faults. */
  category: AlertCategory;
  /** How the device is powered: battery devices report battery and sleep between heartbeats. */
  power: 'battery' | 'mains';
  /** Typical uplink, which is what sets a realistic heartbeat interval. */
  network: 'nb-iot' | 'lorawan' | '4g' | 'ethernet' | 'wifi';
  /** Severity of the device-offline alert: a silent smoke alarm matters more than a silent water meter. */
  offlineSeverity: AlertSeverity;
}
