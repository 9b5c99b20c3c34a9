import { DeviceTypeSpec, EventTypeSpec } from '@sc/core/devices/device-type';
import { getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { Channel, deviceTopic } from '@sc/messaging/mqtt/topics';
import { PlannedDevice } from './fleet';
import { telemetryValues, eventData, Random, DeviceState, newDeviceState } from './values';

/**
 * What the fleet says, message by message: heartbeats on a compressed interval, occasional
 * alarms followed later by their all-clear, access and door events, and telemetry for the rest.
 * Pure apart from the random source and the clock it is given, so a test can replay it.
 */

export interface Outgoing {
  device: PlannedDevice;
  channel: Exclude<Channel, 'status'>;
  topic: string;
  payload: string;
  /** The event type, for the summary. */
  eventType?: string;
  alarm: boolean;
}

export interface TrafficOptions {
  /** Every device beats once per this many seconds (real intervals are hours: compressed). */
  heartbeatSeconds: number;
  /** Share of messages that are alarms. */
  alarmShare: number;
  /** Share of messages that are access-control and door events. */
  accessShare: number;
}

interface FollowUp {
  due: number;
  device: SimDevice;
  event: EventTypeSpec;
}

interface SimDevice {
  plan: PlannedDevice;
  type: DeviceTypeSpec;
  state: DeviceState;
  seq: number;
  alarms: EventTypeSpec[];
}

/** Health events are not the alarms a demo wants to show; they still happen, rarely, via `device.fault`. */
const NOT_ALARMS = new Set(['battery.low', 'camera.occluded', 'gas.sensor_expired']);
/**
 * Everyday events: residents badging in (one in ten refused: expired or unknown cards), doors
 * opening, now and then a smoke alarm's self-test. `weight` is the share among them by type.
 */
const ROUTINE_EVENTS: Record<string, { weight: number; events: string[] }> = {
  access_controller: { weight: 0.6, events: ['access.granted', 'access.granted', 'access.granted', 'access.granted', 'access.granted', 'access.granted', 'access.granted', 'access.granted', 'access.granted', 'access.denied'] },
  door_contact: { weight: 0.36, events: ['door.open'] },
  smoke: { weight: 0.04, events: ['smoke.test'] },
};

export class Traffic {
  private readonly devices: SimDevice[];
  private readonly withTelemetry: SimDevice[];
  private readonly withAlarms: SimDevice[];
  /** Devices with everyday events, grouped by type with the type's weight. */
  private readonly routine: { weight: number; events: string[]; devices: SimDevice[] }[];
  private readonly followUps: FollowUp[] = [];
  private readonly runId: string;
  private heartbeatsSent = 0;

  constructor(
    planned: readonly PlannedDevice[],
    private readonly options: TrafficOptions,
    private readonly random: Random,
    private readonly start: number,
  ) {
    this.runId = `${start.toString(36)}${Math.floor(random() * 1296).toString(36).padStart(2, '0')}`;
    this.devices = planned.map((plan) => {
      const type = getDeviceType(plan.type);
      if (!type) throw new Error(`device ${plan.code} has unknown type ${plan.type}`);
      const alarms = type.events.filter((e) => e.alert && !NOT_ALARMS.has(e.type) && e.type !== 'device.fault');
      return { plan, type, state: newDeviceState(plan, type, random), seq: 0, alarms };
    });
    this.withTelemetry = this.devices.filter((d) => d.type.telemetry.length > 0);
    this.withAlarms = this.devices.filter((d) => d.alarms.length > 0);
    this.routine = Object.entries(ROUTINE_EVENTS)
      .map(([code, r]) => ({ ...r, devices: this.devices.filter((d) => d.type.code === code) }))
      .filter((r) => r.devices.length > 0);
  }

  /** Heartbeats per second the fleet needs, whatever the total rate. */
  heartbeatRate(): number {
    return this.devices.length / this.options.heartbeatSeconds;
  }

  /** The next message to send at `now`: due heartbeats first, then due follow-ups, then the mix. */
  next(now: number): Outgoing | undefined {
    if (this.devices.length === 0) return undefined;
    const heartbeatsDue = Math.floor(((now - this.start) / 1000) * this.heartbeatRate());
    if (this.heartbeatsSent < heartbeatsDue) {
      const device = this.devices[this.heartbeatsSent++ % this.devices.length];
      return this.heartbeat(device, now);
    }
    const followUp = this.takeFollowUp(now);
    if (followUp) return this.event(followUp.device, followUp.event, now);
    const r = this.random();
    if (r < this.options.alarmShare && this.withAlarms.length > 0) return this.alarm(this.pick(this.withAlarms), now);
    if (r < this.options.alarmShare + this.options.accessShare && this.routine.length > 0) {
      const group = this.pickRoutine();
      return this.event(this.pick(group.devices), this.eventSpecOf(group.devices[0], this.pick(group.events)), now);
    }
    if (this.withTelemetry.length === 0) return this.heartbeat(this.pick(this.devices), now);
    return this.telemetry(this.pick(this.withTelemetry), now);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  private pickRoutine(): { events: string[]; devices: SimDevice[] } {
    const total = this.routine.reduce((sum, r) => sum + r.weight, 0);
    let x = this.random() * total;
    for (const r of this.routine) {
      x -= r.weight;
      if (x < 0) return r;
    }
    return this.routine[this.routine.length - 1];
  }

  private eventSpecOf(device: SimDevice, type: string): EventTypeSpec {
    const spec = device.type.events.find((e) => e.type === type);
    if (!spec) throw new Error(`${device.type.code} has no event ${type}`);
    return spec;
  }

  private takeFollowUp(now: number): FollowUp | undefined {
    const index = this.followUps.findIndex((f) => f.due <= now);
    return index < 0 ? undefined : this.followUps.splice(index, 1)[0];
  }

  private schedule(device: SimDevice, type: string, afterMs: number, now: number): void {
    const event = device.type.events.find((e) => e.type === type);
    // Bounded: a flood of alarms must not grow the queue without end.
    if (event && this.followUps.length < 10_000) this.followUps.push({ due: now + afterMs, device, event });
  }

  private alarm(device: SimDevice, now: number): Outgoing {
    const alarm = this.pick(device.alarms);
    // Most conditions end: the device reports the all-clear 10-60 s later (compressed time).
    const clearing = device.type.events.find((e) => e.clears === alarm.type);
    if (clearing && this.random() < 0.8) this.schedule(device, clearing.type, 10_000 + this.random() * 50_000, now);
    return this.event(device, alarm, now);
  }

  private event(device: SimDevice, event: EventTypeSpec, now: number): Outgoing {
    if (event.type === 'door.open') this.schedule(device, 'door.close', 3_000 + this.random() * 40_000, now);
    const body = { msgId: this.msgId(device), ts: this.ts(device, now), type: event.type, data: eventData(device.plan, device.type, event, device.state, this.random) };
    return { ...this.envelope(device, 'event', body), eventType: event.type, alarm: Boolean(event.alert) };
  }

  private telemetry(device: SimDevice, now: number): Outgoing {
    const values = telemetryValues(device.plan, device.type, device.state, this.random);
    return { ...this.envelope(device, 'telemetry', { msgId: this.msgId(device), ts: this.ts(device, now), values }), alarm: false };
  }

  private heartbeat(device: SimDevice, now: number): Outgoing {
    const body: Record<string, unknown> = { ts: this.ts(device, now), fw: device.state.firmware };
    if (device.type.power === 'battery') body.battery = Math.round(device.state.battery);
    body.rssi = device.state.rssi;
    return { ...this.envelope(device, 'heartbeat', body), alarm: false };
  }

  private envelope(device: SimDevice, channel: Outgoing['channel'], body: Record<string, unknown>): Omit<Outgoing, 'alarm'> {
    return { device: device.plan, channel, topic: deviceTopic(device.plan.siteId, device.plan.code, channel), payload: JSON.stringify(body) };
  }

  /** Unique per device and per run: run id, then the device's own counter. */
  private msgId(device: SimDevice): string {
    device.seq += 1;
    return `${this.runId}-${device.seq.toString(36)}`;
  }

  /** One device in five reports ISO-8601 in Beijing time (as NB-IoT vendor platforms do), the rest epoch ms. */
  private ts(device: SimDevice, now: number): number | string {
    if (device.plan.index % 5 !== 0) return now;
    return new Date(now + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
  }
}
