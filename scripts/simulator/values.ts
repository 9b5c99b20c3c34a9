import { DeviceTypeSpec, EventTypeSpec, TelemetryFieldSpec } from '@sc/core/devices/device-type';
import { PlannedDevice } from './fleet';

/** Plausible readings and event details per device type, always inside the catalogue's ranges. */

export type Random = () => number;

/** mulberry32: small, fast, seedable; the simulator needs repeatable, not secure, randomness. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a device remembers between messages, so its readings drift instead of jumping. */
export interface DeviceState {
  battery: number;
  rssi: number;
  /** Water meter total, m³. */
  reading: number;
  floor: number;
  firmware: string;
  /** Card numbers of the residents an access controller knows (before pseudonymisation). */
  cards: string[];
}

const between = (random: Random, min: number, max: number) => min + random() * (max - min);
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const chance = (random: Random, p: number) => (random() < p ? 1 : 0);

export function newDeviceState(plan: PlannedDevice, type: DeviceTypeSpec, random: Random): DeviceState {
  const cards: string[] = [];
  if (type.events.some((e) => e.personalSubject)) {
    // Ten-digit IC card numbers, as printed on the residents' cards.
    for (let i = 0; i < 40; i++) cards.push(String(Math.floor(between(random, 1e9, 1e10))));
  }
  return {
    // A few devices start near the low-battery threshold, as in any real fleet.
    battery: type.power === 'battery' ? between(random, 15, 100) : 100,
    rssi: Math.round(between(random, -115, -65)),
    reading: round(between(random, 50, 2000), 3),
    floor: 1,
    firmware: `${1 + (plan.index % 3)}.${plan.index % 7}.${plan.index % 4}`,
    cards,
  };
}

/** One reading of a field; unknown fields get a low value inside their range. */
function reading(field: TelemetryFieldSpec, plan: PlannedDevice, type: DeviceTypeSpec, state: DeviceState, random: Random): number {
  switch (field.key) {
    case 'battery':
      state.battery = Math.max(field.min, state.battery - random() * 0.02);
      return round(state.battery, 0);
    case 'rssi':
      state.rssi = Math.round(Math.min(-50, Math.max(-125, state.rssi + between(random, -3, 3))));
      return state.rssi;
    case 'temperature':
      return round(type.code === 'hydrant_pressure' ? between(random, 4, 18) : between(random, 18, 30), 1);
    case 'obscuration':
      return round(between(random, 0, 0.05), 3);
    case 'lel':
      return round(between(random, 0, 2), 1);
    case 'co':
      return Math.round(between(random, 0, 8));
    case 'leak':
      return chance(random, 0.002);
    case 'reading':
      state.reading = round(state.reading + between(random, 0, 0.05), 3);
      return state.reading;
    case 'flow':
      return random() < 0.6 ? 0 : round(between(random, 0.05, 1.2), 2);
    case 'valveOpen':
      return 1;
    case 'open':
    case 'doorOpen':
      return chance(random, 0.1);
    case 'armUp':
      return chance(random, 0.2);
    case 'occupied':
    case 'presence':
      return chance(random, 0.5);
    case 'floor': {
      state.floor = Math.max(1, Math.min(plan.floors, state.floor + Math.round(between(random, -3, 3))));
      return state.floor;
    }
    case 'speed':
      return random() < 0.5 ? 0 : round(between(random, 0.5, 1.75), 2);
    case 'pressure':
      return round(between(random, 0.25, 0.45), 2);
    case 'tilt':
      return round(between(random, 0, 3), 1);
    case 'waterLevel':
      return round(between(random, 0.3, 1.5), 2);
    default:
      return round(field.min + (field.max - field.min) * 0.1 * random(), 2);
  }
}

export function telemetryValues(plan: PlannedDevice, type: DeviceTypeSpec, state: DeviceState, random: Random): Record<string, number> {
  const values: Record<string, number> = {};
  for (const field of type.telemetry) {
    values[field.key] = Math.min(field.max, Math.max(field.min, reading(field, plan, type, state, random)));
  }
  return values;
}

/** The details a real device of this kind sends with the event. */
export function eventData(plan: PlannedDevice, type: DeviceTypeSpec, event: EventTypeSpec, state: DeviceState, random: Random): Record<string, unknown> {
  const subject = () => state.cards[Math.floor(random() * state.cards.length)];
  switch (event.type) {
    case 'access.granted':
      return { subject: subject(), method: random() < 0.8 ? 'card' : 'face', direction: random() < 0.5 ? 'in' : 'out' };
    case 'access.denied':
      return { subject: subject(), method: 'card', reason: random() < 0.5 ? 'expired' : 'unknown_card' };
    case 'door.held_open':
      return { subject: subject(), seconds: Math.round(between(random, 120, 600)) };
    case 'door.forced':
      return { door: plan.location };
    case 'smoke.alarm':
      return { obscuration: round(between(random, 0.2, 0.6), 2), temperature: round(between(random, 30, 55), 1) };
    case 'gas.alarm':
      return { lel: round(between(random, 25, 40), 1) };
    case 'gas.co_alarm':
      return { co: Math.round(between(random, 150, 300)) };
    case 'elevator.trapped':
    case 'elevator.stopped_off_level':
      return { floor: state.floor, doorOpen: 0 };
    case 'water.leak':
      return { leak: 1 };
    case 'meter.burst':
    case 'meter.continuous_flow':
      return { flow: round(between(random, 2, 12), 2) };
    case 'hydrant.low_pressure':
      return { pressure: round(between(random, 0.02, 0.09), 2) };
    case 'manhole.open':
    case 'manhole.tilt':
      return { tilt: round(between(random, 20, 90), 1) };
    case 'fall.detected':
    case 'fall.long_stay':
      return { zone: random() < 0.6 ? 'bathroom' : 'bedroom' };
    default:
      return {};
  }
}
