import { settlesWithin } from '@sc/core/shared/settles-within';

export { settlesWithin };

/** How long closing waits for BullMQ connections that are still starting. */
export const READY_WAIT_MS = 2000;

/**
 * Lets a BullMQ queue or worker finish starting before it is closed, within `ms` (Redis may be
 * away). BullMQ closing a connection that is still starting removes its listeners before the
 * start fails, and then emits that failure as an 'error' nobody hears: an uncaught exception.
 */
export async function untilStarted(bullmq: { waitUntilReady(): Promise<unknown> }, ms = READY_WAIT_MS): Promise<void> {
  await settlesWithin(bullmq.waitUntilReady(), ms);
}
