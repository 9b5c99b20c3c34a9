import { Outgoing } from './traffic';

/** Counters of a simulation run, the per-second progress line and the final summary. */

/** PUBACK latency histogram in whole milliseconds; the last bucket holds everything slower. */
const LATENCY_BUCKETS = 60_001;

export class Stats {
  connected = 0;
  statusSent = 0;
  sent = 0;
  acked = 0;
  failed = 0;
  readonly byChannel: Record<Outgoing['channel'], number> = { telemetry: 0, event: 0, heartbeat: 0 };
  readonly events = new Map<string, number>();
  alarms = 0;
  private readonly connectFailures = new Map<string, number>();
  private readonly latency = new Uint32Array(LATENCY_BUCKETS);
  private startedAt = 0;
  private stoppedAt = 0;
  private lastLine = { at: 0, acked: 0, sent: 0 };

  constructor(readonly devices: number) {}

  start(at: number): void {
    this.startedAt = at;
    this.lastLine = { at, acked: 0, sent: 0 };
  }

  stop(at: number): void {
    this.stoppedAt = at;
  }

  inFlight(): number {
    return this.sent - this.acked - this.failed;
  }

  recordSent(message: Outgoing): void {
    this.sent += 1;
    this.byChannel[message.channel] += 1;
    if (message.eventType) this.events.set(message.eventType, (this.events.get(message.eventType) ?? 0) + 1);
    if (message.alarm) this.alarms += 1;
  }

  recordAck(sentAt: number, error: Error | undefined): void {
    if (error) {
      this.failed += 1;
      return;
    }
    this.acked += 1;
    this.latency[Math.min(LATENCY_BUCKETS - 1, Math.max(0, Date.now() - sentAt))] += 1;
  }

  connectFailed(error: unknown): void {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    const key = typeof code === 'number' ? `CONNACK ${code} (${message})` : message;
    this.connectFailures.set(key, (this.connectFailures.get(key) ?? 0) + 1);
  }

  connectFailureText(): string {
    return [...this.connectFailures.entries()].map(([reason, n]) => `${n} × ${reason}`).join('; ') || 'none';
  }

  connectLine(): string {
    const failed = [...this.connectFailures.values()].reduce((a, b) => a + b, 0);
    return `connecting: ${this.connected}/${this.devices} connected, ${failed} failed`;
  }

  /** sent, acked, the acknowledged rate over the last second, in flight. */
  progressLine(now: number): string {
    const seconds = Math.max(0.001, (now - this.lastLine.at) / 1000);
    const rate = (this.acked - this.lastLine.acked) / seconds;
    this.lastLine = { at: now, acked: this.acked, sent: this.sent };
    const elapsed = Math.round((now - this.startedAt) / 1000);
    return [
      `[${String(elapsed).padStart(5)} s]`,
      `sent ${this.sent}`,
      `acked ${this.acked}`,
      `rate ${rate.toFixed(1)}/s`,
      `in-flight ${this.inFlight()}`,
      `alarms ${this.alarms}`,
      this.failed ? `failed ${this.failed}` : '',
    ]
      .filter(Boolean)
      .join('  ');
  }

  percentile(p: number): number | undefined {
    if (this.acked === 0) return undefined;
    const rank = Math.ceil((p / 100) * this.acked);
    let seen = 0;
    for (let ms = 0; ms < LATENCY_BUCKETS; ms++) {
      seen += this.latency[ms];
      if (seen >= rank) return ms;
    }
    return LATENCY_BUCKETS - 1;
  }

  summary(): string[] {
    const seconds = Math.max(0.001, (this.stoppedAt - this.startedAt) / 1000);
    const ms = (p: number) => (this.percentile(p) === undefined ? '–' : `${this.percentile(p)} ms`);
    const topEvents = [...this.events.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    const lines = [
      `devices     ${this.connected}/${this.devices} connected${this.connected < this.devices ? ` (failures: ${this.connectFailureText()})` : ''}`,
      `duration    ${seconds.toFixed(1)} s`,
      `messages    ${this.sent} sent: ${this.byChannel.telemetry} telemetry, ${this.byChannel.event} events (${this.alarms} alarms), ${this.byChannel.heartbeat} heartbeats`,
      `acked       ${this.acked} (${(this.acked / seconds).toFixed(1)}/s), failed ${this.failed}, unacknowledged at the end ${this.inFlight()}`,
      `PUBACK      p50 ${ms(50)}, p95 ${ms(95)}, p99 ${ms(99)}, max ${ms(100)}`,
      `status      ${this.statusSent} retained online/offline messages`,
    ];
    if (topEvents.length > 0) lines.push(`events      ${topEvents.map(([type, n]) => `${type} ${n}`).join(', ')}`);
    return lines;
  }
}
