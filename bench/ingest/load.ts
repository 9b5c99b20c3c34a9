import { MqttUser } from '@sc/testing/mosquitto';
import { RawPublisher } from './raw-publisher';

/** Message number i → its topic and payload (called at publish time, so `ts` is the publish time). */
export type MessageSource = (i: number) => { topic: string; payload: string };

export interface LoadResult {
  /** Messages the broker acknowledged (PUBACK). */
  acked: number;
  /** Date.now() of the first publish and of the last PUBACK. */
  startedAt: number;
  endedAt: number;
  /** Publish → broker PUBACK, ms, one entry per message (steady load only). */
  ackLatencies: number[];
}

/**
 * Several MQTT connections publishing QoS 1 (RawPublisher), many messages in flight on each: the
 * device side of the benchmark. Message i goes out on connection i % n.
 */
export class PublisherPool {
  private constructor(private readonly clients: RawPublisher[]) {}

  static async connect(url: string, user: MqttUser, connections: number, clientPrefix: string): Promise<PublisherPool> {
    const clients = await Promise.all(Array.from({ length: connections }, (_, n) => RawPublisher.connect(url, user, `${clientPrefix}-${n}`)));
    return new PublisherPool(clients);
  }

  get size(): number {
    return this.clients.length;
  }

  /**
   * As fast as the broker takes them: each connection keeps up to `window` messages awaiting
   * their PUBACK. Resolves when every message is acknowledged.
   */
  fullSpeed(total: number, source: MessageSource, window: number): Promise<LoadResult> {
    const startedAt = Date.now();
    let acked = 0;
    return new Promise((resolveAll, rejectAll) => {
      if (total === 0) return resolveAll({ acked: 0, startedAt, endedAt: startedAt, ackLatencies: [] });
      this.clients.forEach((client, c) => {
        let next = c;
        let inFlight = 0;
        const pump = (): void => {
          while (inFlight < window && next < total) {
            const { topic, payload } = source(next);
            next += this.clients.length;
            inFlight += 1;
            client.publish(topic, payload, (error) => {
              if (error) return rejectAll(error);
              inFlight -= 1;
              acked += 1;
              if (acked === total) resolveAll({ acked, startedAt, endedAt: Date.now(), ackLatencies: [] });
              else pump();
            });
          }
        };
        pump();
      });
    });
  }

  /**
   * A steady offered load: `perSecond` messages a second for `durationMs`, paced on a 5 ms
   * tick against the elapsed time (so a late tick catches up and the average rate holds).
   * Resolves when every message is acknowledged; at once for a rate of 0 (nothing to send).
   */
  steady(perSecond: number, durationMs: number, source: MessageSource): Promise<LoadResult> {
    const startedAt = Date.now();
    if (perSecond <= 0) return Promise.resolve({ acked: 0, startedAt, endedAt: startedAt, ackLatencies: [] });
    const total = Math.max(1, Math.round((perSecond * durationMs) / 1000));
    const ackLatencies: number[] = [];
    let sent = 0;
    let acked = 0;
    return new Promise((resolveAll, rejectAll) => {
      const tick = (): void => {
        const due = Math.min(total, Math.floor(((Date.now() - startedAt) * perSecond) / 1000));
        while (sent < due) {
          const i = sent;
          sent += 1;
          const { topic, payload } = source(i);
          const at = Date.now();
          this.clients[i % this.clients.length].publish(topic, payload, (error) => {
            if (error) return rejectAll(error);
            ackLatencies.push(Date.now() - at);
            acked += 1;
            if (acked === total) resolveAll({ acked, startedAt, endedAt: Date.now(), ackLatencies });
          });
        }
        if (sent < total) setTimeout(tick, 5);
      };
      tick();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
  }
}
