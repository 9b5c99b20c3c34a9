import { DeviceTypeSpec, EventTypeSpec, TelemetryFieldSpec } from './device-type';
import { DOOR_CONTACT, GAS, SMOKE, WATER_LEAK, WATER_METER } from './device-types.home';
import { ACCESS_CONTROLLER, EBIKE_CAMERA, ELEVATOR, FALL_DETECTOR, HYDRANT_PRESSURE, MANHOLE_COVER, PARKING_BARRIER, SOS_BUTTON, THROWING_CAMERA } from './device-types.site';

export { DEVICE_OFFLINE_ALERT } from './device-types.shared';

/*
 * The device-type catalogue (DESIGN.md section 4). Heartbeats follow the uplink: battery NB-IoT and
 * LoRaWAN sensors sleep for hours (a 10-year smoke alarm wakes every 4 h, a water meter reports
 * once a day), mains-powered cameras and controllers beat every minute. Alert categories follow
 * DESIGN.md section 5: fire, gas, SOS, fall and throwing are safety (grid worker); elevator, water,
 * doors, hydrant, manhole, barrier and device health (offline, fault, battery) are facility
 * (property company). Thresholds cite the usual Chinese standards where one exists.
 * The type specs live in device-types.home.ts and device-types.site.ts; this file is the one entry point.
 */

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Every device type, in the order of DESIGN.md section 4. Frozen: callers share one copy. */
export const DEVICE_TYPES: readonly DeviceTypeSpec[] = deepFreeze([
  SMOKE,
  GAS,
  WATER_LEAK,
  WATER_METER,
  DOOR_CONTACT,
  ACCESS_CONTROLLER,
  ELEVATOR,
  EBIKE_CAMERA,
  THROWING_CAMERA,
  HYDRANT_PRESSURE,
  MANHOLE_COVER,
  SOS_BUTTON,
  FALL_DETECTOR,
  PARKING_BARRIER,
]);

const BY_CODE: ReadonlyMap<string, DeviceTypeSpec> = new Map(DEVICE_TYPES.map((t) => [t.code, t]));

export const DEVICE_TYPE_CODES: readonly string[] = DEVICE_TYPES.map((t) => t.code);

export function getDeviceType(code: string): DeviceTypeSpec | undefined {
  return BY_CODE.get(code);
}

/** The event type as this device type declares it, or undefined when the type does not send it. */
export function getEventType(deviceType: DeviceTypeSpec, eventType: string): EventTypeSpec | undefined {
  return deviceType.events.find((e) => e.type === eventType);
}

export function getTelemetryField(deviceType: DeviceTypeSpec, key: string): TelemetryFieldSpec | undefined {
  return deviceType.telemetry.find((f) => f.key === key);
}
