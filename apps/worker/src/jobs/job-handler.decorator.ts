import { SetMetadata } from '@nestjs/common';
import type { JobName } from '@sc/messaging';

export const JOB_HANDLER = 'sc:job-handler';
export const DEAD_JOB_HANDLER = 'sc:dead-job-handler';

/** Jobs that run on a worker queue (the dead-letter queue is only stored, never processed). */
export type RunnableJobName = Exclude<JobName, 'dead-letter'>;

/**
 * Marks the method that runs a job (Immich style): `(data, context) => Promise<JobOutcome>`.
 * Every runnable job name must have exactly one, or the worker refuses to start.
 */
export const OnJob = (name: RunnableJobName): MethodDecorator => SetMetadata(JOB_HANDLER, name);

/** Optional: what to record when a job of this name fails its last attempt: `(data, reason) => Promise<void>`. */
export const OnDeadJob = (name: RunnableJobName): MethodDecorator => SetMetadata(DEAD_JOB_HANDLER, name);
