import { connectAsync, MqttClient } from 'mqtt';
import { deviceTopic } from '@sc/messaging';
import { TEST_PUBLISHER_USER } from '../support/mosquitto';
import { waitFor } from '../support/ingest-process';

export interface PublishedDevice {
  id: string;
  code: string;
  siteId: string;
}

/**
 * Devices' side of the resilience tests: QoS 1 telemetry whose msgId is a global sequence
 * number 1, 2, 3, ... (message n comes from device n % devices), at a steady rate over a few
 * connections. The connections reconnect on their own (a broker restart) and mqtt.js resends
 * whatever was not acknowledged, so every message published is eventually PUBACKed. They wait
 * 1 s before reconnecting, as devices back off: Mosquitto 2.0 does not restore shared
 * subscriptions from its persistence file, so a restarted broker drops what arrives before the
 * ingest has subscribed again (the ingest must re-subscribe on every reconnect, and do it fast).
 */
export class SequencedPublisher {
  private sent = 0;
  private acked = 0;
  private errors: Error[] = [];
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly clients: MqttClient[],
    private readonly devices: readonly PublishedDevice[],
  ) {}

  static async connect(url: string, devices: readonly PublishedDevice[], connections = 2): Promise<SequencedPublisher> {
    const clients = await Promise.all(
      Array.from({ length: connections }, (_, n) =>
        connectAsync(url, {
          ...TEST_PUBLISHER_USER,
          clientId: `sc-test-publisher-${process.pid}-${n}`,
          protocolVersion: 4,
          clean: true,
          reconnectPeriod: 1000,
          connectTimeout: 5000,
        }),
      ),
    );
    return new SequencedPublisher(clients, devices);
  }

  /** The device that sends message `seq`. */
  deviceOf(seq: number): PublishedDevice {
    return this.devices[seq % this.devices.length];
  }

  get published(): number {
    return this.sent;
  }

  get acknowledged(): number {
    return this.acked;
  }

  /** Starts publishing `perSecond` messages a second (paced against elapsed time) until `stop()`. */
  start(perSecond: number): void {
    const startedAt = Date.now();
    const tick = (): void => {
      const due = Math.floor(((Date.now() - startedAt) * perSecond) / 1000);
      while (this.sent < due) this.publish(this.sent + 1);
      this.timer = setTimeout(tick, 10);
    };
    tick();
  }

  /** Publishes `count` more messages at once (many in flight). */
  burst(count: number): void {
    for (let i = 0; i < count; i += 1) this.publish(this.sent + 1);
  }

  /** Stops publishing, then waits (bounded) for the broker to acknowledge every message sent. */
  async stop(withinMs = 30_000): Promise<number> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await waitFor(`PUBACKs for all ${this.sent} published messages`, () => {
      if (this.errors.length > 0) throw this.errors[0];
      return this.acked === this.sent ? true : undefined;
    }, { withinMs, describe: () => `acknowledged ${this.acked} of ${this.sent}` });
    return this.sent;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.clients.map((client) => client.endAsync(true)));
  }

  private publish(seq: number): void {
    this.sent = seq;
    const device = this.deviceOf(seq);
    const payload = JSON.stringify({ msgId: String(seq), ts: Date.now(), values: { temperature: 21 + (seq % 10) / 10, battery: 90 } });
    this.clients[seq % this.clients.length].publish(deviceTopic(device.siteId, device.code, 'telemetry'), payload, { qos: 1 }, (error) => {
      if (error) this.errors.push(error);
      else this.acked += 1;
    });
  }
}
