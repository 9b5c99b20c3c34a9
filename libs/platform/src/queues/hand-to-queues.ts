import type { Logger } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { JOB_QUEUES, JobIntent, QueueName } from '@sc/messaging';
import type { OutboxRow } from '@sc/core/outbox/job-handover';
import type { QueueSet } from './queue-set';

interface BulkJob {
  name: string;
  data: unknown;
  opts: JobsOptions;
}

/**
 * Adds a batch of outbox intents to their queues, in seq order per queue: consecutive adds go
 * in one addBulk, and a remove first sends the adds before it (an add then a remove of the same
 * timer must end removed). A remove skips an active job (its handler re-checks the state).
 * Throws if Redis fails; the caller keeps the rows. A malformed row is logged and dropped:
 * retrying it cannot help and it would block the rows behind it.
 */
export async function handToQueues(queues: QueueSet, rows: readonly OutboxRow[], logger: Logger): Promise<void> {
  await ensureConnected(queues);
  const pending = new Map<QueueName, BulkJob[]>();
  const flush = async (queue: QueueName): Promise<void> => {
    const jobs = pending.get(queue);
    if (!jobs || jobs.length === 0) return;
    pending.delete(queue);
    await queues.get(queue).addBulk(jobs);
  };
  const now = Date.now();
  for (const row of rows) {
    const intent = validIntent(row.intent);
    if (!intent) {
      logger.error({ seq: row.seq, intent: row.intent as unknown }, 'outbox row holds no valid job intent; dropped');
      continue;
    }
    const queue = JOB_QUEUES[intent.name];
    if (intent.op === 'remove') {
      await flush(queue);
      await queues.get(queue).remove(intent.jobId);
      continue;
    }
    const delay = intent.runAtMs !== undefined ? Math.max(0, intent.runAtMs - now) : 0;
    const jobs = pending.get(queue) ?? [];
    jobs.push({ name: intent.name, data: intent.data, opts: delay > 0 ? { jobId: intent.jobId, delay } : { jobId: intent.jobId } });
    pending.set(queue, jobs);
  }
  await Promise.all([...pending.keys()].map((queue) => flush(queue)));
}

/**
 * Fails at once while Redis is away instead of queueing commands in ioredis' offline queue,
 * which would pile up one batch per retry and replay them all on reconnect.
 */
async function ensureConnected(queues: QueueSet): Promise<void> {
  for (const queue of queues.all()) {
    const client = await queue.client;
    if (client.status !== 'ready') throw new Error(`Redis connection of queue ${queue.name} is ${client.status}`);
  }
}

function validIntent(value: unknown): JobIntent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const intent = value as Partial<Record<keyof JobIntent | 'runAtMs' | 'data', unknown>>;
  if (intent.op !== 'add' && intent.op !== 'remove') return undefined;
  if (typeof intent.name !== 'string' || !(intent.name in JOB_QUEUES)) return undefined;
  // BullMQ refuses ':' in custom ids.
  if (typeof intent.jobId !== 'string' || intent.jobId === '' || intent.jobId.includes(':')) return undefined;
  if (intent.runAtMs !== undefined && intent.runAtMs !== null && typeof intent.runAtMs !== 'number') return undefined;
  return value as JobIntent;
}
