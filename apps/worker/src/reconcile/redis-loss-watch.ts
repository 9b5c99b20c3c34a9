import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_ENV, WorkerEnv } from '@sc/config';
import { REDIS_CLIENT } from '@sc/messaging';
import { MeetingReminders } from '@sc/core/meetings/meeting-reminders';
import { JobReconciler } from '@sc/core/work-orders/job-reconciler';

/** How long one worker may take to re-arm before another may try (it died, or hangs). */
const REARM_CLAIM_SECONDS = 600;

/**
 * Notices when Redis lost its jobs and has them re-enqueued from the database. A marker key
 * under the queue prefix lives as long as Redis keeps its data; when a tick finds it missing
 * (first start, a restart without persistence, a failover to an empty replica), the worker that
 * sets it again re-arms everything: unrouted alerts, undelivered deliveries, the SLA timers and
 * reminders of open orders, the reminders of scheduled joint meetings. Every tick also
 * re-enqueues alerts and deliveries stuck longer than RECONCILE_STUCK_SECONDS (a job that
 * vanished while Redis kept the rest). Re-enqueueing a job that still exists is a no-op.
 */
@Injectable()
export class RedisLossWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedisLossWatch.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(APP_ENV) private readonly env: WorkerEnv,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly reconciler: JobReconciler,
    private readonly meetings: MeetingReminders,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * One tick; public for tests. The marker is set again only once everything is re-armed, so a
   * re-arm that fails (the database away) is tried again at the next tick; meanwhile a claim
   * keeps the other workers from re-arming the same jobs at the same time.
   */
  async tick(now = new Date()): Promise<void> {
    const marker = `${this.env.QUEUE_PREFIX}:jobs-marker`;
    const claim = `${marker}:rearming`;
    let lost: boolean;
    try {
      lost = (await this.redis.exists(marker)) === 0 && (await this.redis.set(claim, now.toISOString(), 'EX', REARM_CLAIM_SECONDS, 'NX')) === 'OK';
    } catch {
      return; // Redis is down: the outbox holds new jobs; look again at the next tick.
    }
    const stuckBefore = lost ? now : new Date(now.getTime() - this.env.RECONCILE_STUCK_SECONDS * 1000);
    if (!lost) {
      await this.reconciler.reconcile({ timers: false, stuckBefore });
      return;
    }
    try {
      const result = await this.reconciler.reconcile({ timers: true, stuckBefore });
      const meetingReminders = await this.meetings.rearm(now);
      // Marker back and claim released together (MULTI): nobody sees one without the other.
      await this.redis.multi().set(marker, now.toISOString()).del(claim).exec();
      this.logger.log({ ...result, meetingReminders }, 'Redis held no jobs marker (first start or data lost): jobs re-armed from the database');
    } catch (error) {
      await this.redis.del(claim).catch(() => undefined);
      throw error;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'reconciling jobs failed; trying again at the next tick'))
        .finally(() => this.schedule(this.env.RECONCILE_SECONDS * 1000));
    }, delayMs);
  }
}
