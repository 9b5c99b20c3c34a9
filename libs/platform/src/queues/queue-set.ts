import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { QUEUES, QueueName } from '@sc/messaging';
import { untilStarted } from './bullmq-close';

/** What a queue holds right now. */
export interface QueueCounts {
  queue: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** The registered queues by name, so code that works on "the queue of this job" needs no switch. */
@Injectable()
export class QueueSet implements BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueSet.name);
  private readonly byName: Map<QueueName, Queue>;
  private redisDown = false;

  constructor(
    @InjectQueue(QUEUES.alerts) alerts: Queue,
    @InjectQueue(QUEUES.workOrders) workOrders: Queue,
    @InjectQueue(QUEUES.deliveries) deliveries: Queue,
    @InjectQueue(QUEUES.meetings) meetings: Queue,
    @InjectQueue(QUEUES.deadLetter) deadLetter: Queue,
  ) {
    this.byName = new Map<QueueName, Queue>([
      [QUEUES.alerts, alerts],
      [QUEUES.workOrders, workOrders],
      [QUEUES.deliveries, deliveries],
      [QUEUES.meetings, meetings],
      [QUEUES.deadLetter, deadLetter],
    ]);
    // A queue's connection reports errors as 'error' events; without a listener Node would throw
    // them (a Redis blip, or a connection still starting while the app shuts down). The callers
    // see the failure on their own commands; here it is logged once per outage.
    for (const queue of this.byName.values()) {
      queue.on('error', (error) => {
        if (this.redisDown) return;
        this.redisDown = true;
        this.logger.warn({ queue: queue.name, err: error }, 'a queue lost Redis; commands fail until it is back');
      });
      void queue.client.then((client) => client.on('ready', () => (this.redisDown = false))).catch(() => undefined);
    }
  }

  /** The queues are closed by @nestjs/bullmq on shutdown; connections still starting finish first. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((queue) => untilStarted(queue)));
  }

  /** Closes every queue, for when Nest's shutdown cannot run (a start-up that failed). */
  async close(): Promise<void> {
    await Promise.allSettled(
      this.all().map(async (queue) => {
        await untilStarted(queue);
        await queue.close();
      }),
    );
  }

  get(name: QueueName): Queue {
    const queue = this.byName.get(name);
    if (!queue) throw new Error(`queue ${name} is not registered`);
    return queue;
  }

  all(): Queue[] {
    return [...this.byName.values()];
  }

  async counts(): Promise<QueueCounts[]> {
    return Promise.all(
      [...this.byName.entries()].map(async ([queue, q]) => {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'paused');
        return {
          queue,
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.paused ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
          completed: c.completed ?? 0,
        };
      }),
    );
  }
}
