import { connect as netConnect, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { generate, IConnackPacket, IPublishPacket, ISubackPacket, Packet, parser as createParser } from 'mqtt-packet';

export interface PipelinedSubscriberOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Subscribed (QoS 1) on every connect. */
  filters: readonly string[];
  /** Unsubscribed on every connect, after `filters`: what an earlier version of the session subscribed to. */
  dropFilters?: readonly string[];
  sessionExpirySeconds: number;
  /** Unacknowledged messages this connection holds before it stops reading from the socket. */
  maxPending: number;
  keepaliveSeconds: number;
}

export interface PipelinedSubscriberEvents {
  /** Hand over one message; calling `ack` (once it is stored) lets its PUBACK go. */
  message(topic: string, payload: Buffer, ack: () => void): void;
  up(sessionResumed: boolean): void;
  down(error?: Error): void;
}

interface PendingAck {
  messageId: number;
  done: boolean;
}

const PROTOCOL = { protocolVersion: 5 } as const;

/**
 * One MQTT 5 subscriber connection that keeps reading while earlier messages wait for their
 * commit. mqtt.js reads the next packet only after the previous PUBACK, which caps a batch at
 * one message per connection; here up to `maxPending` messages per connection share a batch.
 * PUBACKs still leave only after the ack, and in the order the PUBLISH packets arrived
 * (MQTT-4.6.0-2), so a later batch committing first waits for the earlier one. Above
 * `maxPending` the socket is paused and TCP pushes back on the broker, which keeps the queue.
 * A connection that drops forgets its pending acks: the broker redelivers those messages to the
 * persistent session, and the (deviceId, msgId) key makes the second copy a no-op.
 */
export class PipelinedSubscriber {
  private socket?: Socket;
  private pending: PendingAck[] = [];
  private paused = false;
  private pinger?: NodeJS.Timeout;
  private nextMessageId = 1;
  /** The pending queues (one per connection made) with a flush already due. */
  private readonly flushScheduled = new WeakSet<PendingAck[]>();

  constructor(
    private readonly options: PipelinedSubscriberOptions,
    private readonly events: PipelinedSubscriberEvents,
  ) {}

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** Opens the connection; `down` reports its end (the caller decides about reconnecting). */
  connect(): void {
    const url = new URL(this.options.url);
    const port = Number(url.port || (url.protocol === 'mqtts:' ? 8883 : 1883));
    const socket = url.protocol === 'mqtts:' ? tlsConnect({ host: url.hostname, port, servername: url.hostname }) : netConnect({ host: url.hostname, port });
    socket.setNoDelay(true);
    this.socket = socket;
    const pending: PendingAck[] = [];
    this.pending = pending;
    this.paused = false;
    const parser = createParser(PROTOCOL);
    parser.on('packet', (packet: Packet) => this.onPacket(socket, pending, packet));
    parser.on('error', (error: Error) => socket.destroy(error));
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.once(url.protocol === 'mqtts:' ? 'secureConnect' : 'connect', () => {
      socket.write(
        generate(
          {
            cmd: 'connect',
            protocolVersion: 5,
            clientId: this.options.clientId,
            clean: false,
            keepalive: this.options.keepaliveSeconds,
            username: this.options.username,
            password: this.options.password === undefined ? undefined : Buffer.from(this.options.password),
            properties: { sessionExpiryInterval: this.options.sessionExpirySeconds, receiveMaximum: Math.min(65_535, this.options.maxPending) },
          },
          PROTOCOL,
        ),
      );
    });
    let reported = false;
    const end = (error?: Error): void => {
      if (reported) return;
      reported = true;
      clearInterval(this.pinger);
      pending.length = 0;
      if (this.socket === socket) this.socket = undefined;
      this.events.down(error);
    };
    socket.on('error', (error: Error) => end(error));
    socket.on('close', () => end());
  }

  /** Sends DISCONNECT (keeping the session on the broker) once the pending acks are written or the bound passes. */
  async close(timeoutMs: number): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    const deadline = Date.now() + timeoutMs;
    while (this.pending.length > 0 && Date.now() < deadline && !socket.destroyed) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end(generate({ cmd: 'disconnect', reasonCode: 0 }, PROTOCOL));
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, Math.max(100, deadline - Date.now())).unref();
    });
  }

  private onPacket(socket: Socket, pending: PendingAck[], packet: Packet): void {
    switch (packet.cmd) {
      case 'connack':
        return this.onConnack(socket, packet);
      case 'suback':
        return this.onSuback(socket, packet);
      case 'publish':
        return this.onPublish(socket, pending, packet);
      case 'disconnect':
        socket.destroy(new Error(`broker disconnected (reason ${packet.reasonCode ?? 0})`));
        return;
      default:
        return; // pingresp and the rest need nothing
    }
  }

  private onConnack(socket: Socket, packet: IConnackPacket): void {
    const code = packet.reasonCode ?? packet.returnCode ?? 0;
    if (code !== 0) {
      socket.destroy(new Error(`connection refused by the broker (reason ${code})`));
      return;
    }
    const interval = Math.max(1, Math.floor(this.options.keepaliveSeconds / 2)) * 1000;
    this.pinger = setInterval(() => socket.write(generate({ cmd: 'pingreq' }, PROTOCOL)), interval);
    this.pinger.unref();
    // Subscribed on every connect: Mosquitto 2.0 restores a persistent session without its shared subscription.
    const messageId = this.allocateId();
    socket.write(generate({ cmd: 'subscribe', messageId, subscriptions: this.options.filters.map((topic) => ({ topic, qos: 1 as const })) }, PROTOCOL));
    // Its UNSUBACK needs no answer: "no subscription existed" is the usual one.
    const dropped = this.options.dropFilters ?? [];
    if (dropped.length > 0) socket.write(generate({ cmd: 'unsubscribe', messageId: this.allocateId(), unsubscriptions: [...dropped] }, PROTOCOL));
    this.sessionPresent = packet.sessionPresent;
  }

  private sessionPresent = false;

  private onSuback(socket: Socket, packet: ISubackPacket): void {
    const refused = packet.granted.find((g) => typeof g === 'number' && g >= 0x80);
    if (refused !== undefined) {
      socket.destroy(new Error(`subscription refused by the broker (reason ${String(refused)})`));
      return;
    }
    this.events.up(this.sessionPresent);
  }

  private onPublish(socket: Socket, pending: PendingAck[], packet: IPublishPacket): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    if (packet.qos === 0 || packet.messageId === undefined) {
      this.events.message(packet.topic, payload, () => undefined);
      return;
    }
    const entry: PendingAck = { messageId: packet.messageId, done: false };
    pending.push(entry);
    if (pending.length >= this.options.maxPending && !this.paused) {
      this.paused = true;
      socket.pause();
    }
    this.events.message(packet.topic, payload, () => {
      entry.done = true;
      this.scheduleFlush(socket, pending);
    });
  }

  /**
   * A committed batch acks its messages one by one in a loop; the PUBACKs due then go out in one
   * socket write after it (a microtask later) instead of one write, and one syscall, per message.
   */
  private scheduleFlush(socket: Socket, pending: PendingAck[]): void {
    if (this.flushScheduled.has(pending)) return;
    this.flushScheduled.add(pending);
    queueMicrotask(() => {
      this.flushScheduled.delete(pending);
      this.flush(socket, pending);
    });
  }

  /** Writes the PUBACKs at the head of the queue whose messages are stored, in arrival order. */
  private flush(socket: Socket, pending: PendingAck[]): void {
    if (socket.destroyed || this.socket !== socket) return;
    const acks: Buffer[] = [];
    while (pending.length > 0 && pending[0].done) {
      const head = pending.shift() as PendingAck;
      acks.push(generate({ cmd: 'puback', messageId: head.messageId, reasonCode: 0 }, PROTOCOL));
    }
    if (acks.length > 0) socket.write(acks.length === 1 ? acks[0] : Buffer.concat(acks));
    if (this.paused && pending.length <= this.options.maxPending / 2) {
      this.paused = false;
      socket.resume();
    }
  }

  private allocateId(): number {
    const id = this.nextMessageId;
    this.nextMessageId = id >= 65_535 ? 1 : id + 1;
    return id;
  }
}
