import { AlertCategory, AlertSeverity, DeviceTypeSpec, LocalisedName } from './device-type';
import { DEVICE_TYPE_CODES, DEVICE_TYPES, getDeviceType, getEventType, getTelemetryField } from './device-types.catalogue';

const SEVERITIES: AlertSeverity[] = ['critical', 'major', 'minor', 'warning'];
const CATEGORIES: AlertCategory[] = ['safety', 'facility'];
const CJK = /[\u4e00-\u9fff]/;

function namesOf(type: DeviceTypeSpec): { where: string; name: LocalisedName }[] {
  return [
    { where: type.code, name: type.name },
    ...type.telemetry.map((f) => ({ where: `${type.code} telemetry ${f.key}`, name: f.name })),
    ...type.events.map((e) => ({ where: `${type.code} event ${e.type}`, name: e.name })),
    ...type.thresholds.map((r) => ({ where: `${type.code} threshold ${r.alertType}`, name: r.name })),
  ];
}

/** Alert types a device of this type can raise: from its events and from its threshold rules. */
function alertTypesOf(type: DeviceTypeSpec): Map<string, AlertCategory> {
  const map = new Map<string, AlertCategory>();
  for (const e of type.events) if (e.alert) map.set(e.type, e.alert.category);
  for (const r of type.thresholds) map.set(r.alertType, r.category);
  return map;
}

describe('device-type catalogue', () => {
  it('holds exactly the fourteen device types of the design, each code once', () => {
    expect([...DEVICE_TYPE_CODES].sort()).toEqual(
      [
        'smoke',
        'gas',
        'water_leak',
        'water_meter',
        'door_contact',
        'access_controller',
        'elevator',
        'ebike_camera',
        'throwing_camera',
        'hydrant_pressure',
        'manhole_cover',
        'sos_button',
        'fall_detector',
        'parking_barrier',
      ].sort(),
    );
    expect(new Set(DEVICE_TYPE_CODES).size).toBe(DEVICE_TYPES.length);
  });

  it('names every type, field, event and threshold alert in Chinese and English', () => {
    for (const type of DEVICE_TYPES) {
      for (const { where, name } of namesOf(type)) {
        expect({ where, zh: CJK.test(name.zh) }).toEqual({ where, zh: true });
        expect({ where, en: name.en.trim().length > 0 }).toEqual({ where, en: true });
      }
    }
  });

  it('gives every type a heartbeat that fits its power source', () => {
    for (const type of DEVICE_TYPES) {
      expect(Number.isInteger(type.heartbeatSeconds)).toBe(true);
      // Mains devices beat at least every 5 minutes; battery devices sleep at least an hour and report at least daily.
      const [min, max] = type.power === 'mains' ? [30, 3600] : [3600, 86400];
      expect({ code: type.code, ok: type.heartbeatSeconds >= min && type.heartbeatSeconds <= max }).toEqual({ code: type.code, ok: true });
      expect(SEVERITIES).toContain(type.offlineSeverity);
      expect(CATEGORIES).toContain(type.category);
    }
  });

  it('declares each telemetry field once per type, with a finite range whose min is below its max', () => {
    for (const type of DEVICE_TYPES) {
      const keys = type.telemetry.map((f) => f.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const f of type.telemetry) {
        expect({ field: `${type.code}.${f.key}`, ok: Number.isFinite(f.min) && Number.isFinite(f.max) && f.min < f.max }).toEqual({
          field: `${type.code}.${f.key}`,
          ok: true,
        });
      }
    }
  });

  it('uses the agreed units and ranges for battery, signal, gas and hydrant pressure', () => {
    const fieldOf = (code: string, key: string) => getTelemetryField(getDeviceType(code)!, key);
    expect(fieldOf('smoke', 'battery')).toMatchObject({ unit: '%', min: 0, max: 100 });
    expect(fieldOf('smoke', 'rssi')).toMatchObject({ unit: 'dBm', min: -140, max: 0 });
    expect(fieldOf('gas', 'lel')).toMatchObject({ unit: '%LEL', min: 0, max: 100 });
    expect(fieldOf('gas', 'co')).toMatchObject({ unit: 'ppm' });
    expect(fieldOf('hydrant_pressure', 'pressure')).toMatchObject({ unit: 'MPa', min: 0, max: 2.5 });
    expect(fieldOf('water_meter', 'reading')).toMatchObject({ unit: 'm³' });
    expect(fieldOf('manhole_cover', 'tilt')).toMatchObject({ unit: '°' });
  });

  it('declares each event type once per type, and a shared event type identically everywhere', () => {
    const seen = new Map<string, unknown>();
    for (const type of DEVICE_TYPES) {
      const types = type.events.map((e) => e.type);
      expect(new Set(types).size).toBe(types.length);
      for (const e of type.events) {
        expect(e.type).toMatch(/^[a-z_]+\.[a-z_]+$/);
        if (seen.has(e.type)) expect({ type: e.type, spec: e }).toEqual({ type: e.type, spec: seen.get(e.type) });
        seen.set(e.type, e);
      }
    }
  });

  it('gives every alerting event and threshold a known severity and category', () => {
    for (const type of DEVICE_TYPES) {
      for (const e of type.events.filter((x) => x.alert)) {
        expect(SEVERITIES).toContain(e.alert!.severity);
        expect(CATEGORIES).toContain(e.alert!.category);
      }
      for (const r of type.thresholds) {
        expect(SEVERITIES).toContain(r.severity);
        expect(CATEGORIES).toContain(r.category);
      }
    }
  });

  it('aims every threshold at a field of its type, with a limit inside the valid range', () => {
    for (const type of DEVICE_TYPES) {
      for (const r of type.thresholds) {
        const f = getTelemetryField(type, r.field);
        expect({ rule: `${type.code} ${r.alertType}`, field: f !== undefined }).toEqual({ rule: `${type.code} ${r.alertType}`, field: true });
        expect(r.limit).toBeGreaterThanOrEqual(f!.min);
        expect(r.limit).toBeLessThanOrEqual(f!.max);
        if (r.forMinutes !== undefined) expect(r.forMinutes).toBeGreaterThan(0);
      }
    }
  });

  it('gives an alert type one category within a type, and lets a clearing event clear only an alert of its own type', () => {
    for (const type of DEVICE_TYPES) {
      const alertTypes = alertTypesOf(type);
      for (const e of type.events) if (e.alert) expect(alertTypes.get(e.type)).toBe(e.alert.category);
      for (const e of type.events.filter((x) => x.clears)) {
        expect({ event: `${type.code} ${e.type}`, clears: alertTypes.has(e.clears!) }).toEqual({ event: `${type.code} ${e.type}`, clears: true });
        expect(e.alert).toBeUndefined();
      }
    }
  });

  it('routes fire, gas, SOS, fall and throwing as safety, and elevator, water, doors, hydrant, manhole and barrier as facility', () => {
    const category = (code: string, event: string) => getEventType(getDeviceType(code)!, event)?.alert?.category;
    for (const [code, event] of [
      ['smoke', 'smoke.alarm'],
      ['gas', 'gas.alarm'],
      ['sos_button', 'sos.pressed'],
      ['fall_detector', 'fall.detected'],
      ['throwing_camera', 'throwing.detected'],
    ]) {
      expect({ event, category: category(code, event) }).toEqual({ event, category: 'safety' });
    }
    const facilityPrefixes = ['elevator.', 'water.', 'door.', 'hydrant.', 'manhole.', 'barrier.', 'device.', 'battery.', 'meter.'];
    for (const type of DEVICE_TYPES) {
      for (const e of type.events.filter((x) => x.alert && facilityPrefixes.some((p) => x.type.startsWith(p)))) {
        expect({ event: e.type, category: e.alert!.category }).toEqual({ event: e.type, category: 'facility' });
      }
      // Device offline is a facility alert (DESIGN.md section 5).
      expect(type.category).toBe('facility');
    }
    expect(getEventType(getDeviceType('elevator')!, 'elevator.trapped')?.alert).toEqual({ severity: 'critical', category: 'facility' });
  });

  it('marks exactly the four access-control events as carrying a personal subject', () => {
    const personal = DEVICE_TYPES.flatMap((t) => t.events.filter((e) => e.personalSubject).map((e) => e.type)).sort();
    expect(personal).toEqual(['access.denied', 'access.granted', 'door.forced', 'door.held_open']);
  });

  it('lets battery devices report their battery and raise battery.low', () => {
    for (const type of DEVICE_TYPES.filter((t) => t.power === 'battery')) {
      expect(getTelemetryField(type, 'battery')).toBeDefined();
      expect(getEventType(type, 'battery.low')).toBeDefined();
    }
  });

  it('finds a type by code, answers undefined for an unknown code, and cannot be changed by a caller', () => {
    expect(getDeviceType('smoke')?.name.zh).toBe('烟感');
    expect(getDeviceType('toaster')).toBeUndefined();
    const smoke = getDeviceType('smoke')!;
    expect(() => {
      (smoke as { heartbeatSeconds: number }).heartbeatSeconds = 1;
    }).toThrow(TypeError);
    expect(Object.isFrozen(smoke.events[0].name)).toBe(true);
  });
});
