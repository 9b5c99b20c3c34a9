import { DeviceTypeSpec } from '@sc/core/devices/device-type';
import { DEVICE_TYPES } from '@sc/core/devices/device-types.catalogue';
import { deviceTopic } from '@sc/messaging';

/** A provisioned bench device, as it publishes: site (community code), device code, type. */
export interface BenchDevice {
  code: string;
  siteId: string;
  type: string;
  /** The `values` object of its telemetry, serialised once: realistic fields, in range. */
  values: string;
  topic: string;
}

/** Types that report telemetry (cameras only send events); the mix a community really has. */
export const TELEMETRY_TYPES: readonly DeviceTypeSpec[] = DEVICE_TYPES.filter((t) => t.telemetry.length > 0);

/** Deterministic pseudo-random numbers, so two runs publish the same traffic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/** A reading inside the field's valid range: flags 0/1, measurements with two decimals. */
function reading(min: number, max: number, random: () => number): number {
  if (min === 0 && max === 1) return random() < 0.1 ? 1 : 0;
  const value = min + (max - min) * (0.2 + 0.5 * random());
  return Math.round(value * 100) / 100;
}

export function telemetryValues(type: DeviceTypeSpec, random: () => number): string {
  const values: Record<string, number> = {};
  for (const field of type.telemetry) values[field.key] = reading(field.min, field.max, random);
  return JSON.stringify(values);
}

/** `count` devices spread over `sites`, cycling through the telemetry types. */
export function benchDevices(count: number, sites: readonly string[], prefix: string, seed = 42): BenchDevice[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const type = TELEMETRY_TYPES[i % TELEMETRY_TYPES.length];
    const siteId = sites[i % sites.length];
    const code = `${prefix}${String(i).padStart(6, '0')}`;
    return { code, siteId, type: type.code, values: telemetryValues(type, random), topic: deviceTopic(siteId, code, 'telemetry') };
  });
}

/** The telemetry payload of DESIGN.md section 4; `ts` is the publish time, so stored - ts is the latency. */
export function telemetryPayload(device: BenchDevice, msgId: string, ts: number): string {
  return `{"msgId":"${msgId}","ts":${ts},"values":${device.values}}`;
}
