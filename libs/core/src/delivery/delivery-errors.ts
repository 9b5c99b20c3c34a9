/**
 * One send that did not succeed. The worker retries it with backoff unless `permanent` (the
 * target is gone or disabled): then it goes straight to the dead-letter queue, redrivable once
 * the target is fixed.
 */
export class DeliveryAttemptError extends Error {
  override readonly name = 'DeliveryAttemptError';

  constructor(
    message: string,
    readonly permanent = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
