import { connect as netConnect, Socket } from 'node:net';
import { generate, IPublishPacket, Packet, parser as createParser } from 'mqtt-packet';
import { MqttUser } from '@sc/testing/mosquitto';

const PROTOCOL = { protocolVersion: 4 } as const;
const KEEPALIVE_SECONDS = 60;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One MQTT 3.1.1 connection that only publishes QoS 1, for the benchmarks' simulated devices.
 * It costs the machine far less than an mqtt.js client (no per-message store, debug calls or
 * write per packet): the packets published in one turn of the event loop go out in one socket
 * write. The benchmarks run the devices on the same cores as the service they measure, so the
 * less the device side takes, the more the figures are the service's.
 * A lost connection fails every message still waiting for its PUBACK (a benchmark does not
 * reconnect: a broken run should say so).
 */
export class RawPublisher {
  private nextMessageId = 1;
  private readonly waiting = new Map<number, (error?: Error) => void>();
  private queued: Buffer[] = [];
  private flushScheduled = false;
  private closed?: Error;

  private constructor(private readonly socket: Socket) {}

  static connect(url: string, user: MqttUser, clientId: string): Promise<RawPublisher> {
    const { hostname, port } = new URL(url);
    const socket = netConnect({ host: hostname, port: Number(port || 1883) });
    socket.setNoDelay(true);
    const publisher = new RawPublisher(socket);
    return new Promise<RawPublisher>((resolve, reject) => {
      const timer = setTimeout(() => socket.destroy(new Error(`no CONNACK from ${url} within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      const parser = createParser(PROTOCOL);
      parser.on('packet', (packet: Packet) => {
        if (packet.cmd === 'connack') {
          clearTimeout(timer);
          if (packet.returnCode !== 0) socket.destroy(new Error(`connection refused (return code ${String(packet.returnCode)})`));
          else resolve(publisher);
        } else if (packet.cmd === 'puback' && packet.messageId !== undefined) {
          const done = publisher.waiting.get(packet.messageId);
          publisher.waiting.delete(packet.messageId);
          done?.();
        }
      });
      parser.on('error', (error: Error) => socket.destroy(error));
      socket.on('data', (chunk: Buffer) => parser.parse(chunk));
      socket.once('connect', () => {
        socket.write(generate({ cmd: 'connect', protocolVersion: 4, clientId, clean: true, keepalive: KEEPALIVE_SECONDS, username: user.username, password: Buffer.from(user.password) }, PROTOCOL));
      });
      const pinger = setInterval(() => publisher.write(generate({ cmd: 'pingreq' }, PROTOCOL)), (KEEPALIVE_SECONDS / 2) * 1000);
      pinger.unref();
      // The cause (refused, no CONNACK, a reset) is what the messages still waiting fail with.
      let cause: Error | undefined;
      socket.on('error', (error: Error) => (cause ??= error));
      socket.once('close', () => {
        clearTimeout(timer);
        clearInterval(pinger);
        publisher.fail(new Error(`connection ${clientId} closed${cause ? `: ${cause.message}` : ''}`));
        reject(publisher.closed);
      });
    });
  }

  /** Queues one QoS 1 PUBLISH; `done` is called at its PUBACK, or with an error if the connection ends first. */
  publish(topic: string, payload: string, done: (error?: Error) => void): void {
    if (this.closed) return done(this.closed);
    const messageId = this.allocateId();
    this.waiting.set(messageId, done);
    const packet: IPublishPacket = { cmd: 'publish', topic, payload, qos: 1, messageId, retain: false, dup: false };
    this.write(generate(packet, PROTOCOL));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.write(generate({ cmd: 'disconnect' }, PROTOCOL));
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 2_000).unref();
    });
  }

  /** Packets written in one turn of the event loop leave in one socket write. */
  private write(packet: Buffer): void {
    this.queued.push(packet);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const packets = this.queued;
      this.queued = [];
      if (!this.socket.destroyed) this.socket.write(packets.length === 1 ? packets[0] : Buffer.concat(packets));
    });
  }

  private fail(error: Error): void {
    this.closed = error;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    waiting.forEach((done) => done(error));
  }

  /** The next message id not awaiting its PUBACK (1-65535). */
  private allocateId(): number {
    for (;;) {
      const id = this.nextMessageId;
      this.nextMessageId = id >= 65_535 ? 1 : id + 1;
      if (!this.waiting.has(id)) return id;
      if (this.waiting.size >= 65_535) throw new Error('65535 messages awaiting their PUBACK on one connection');
    }
  }
}
