/**
 * What the delivery core needs from the outside world, implemented by the worker: an HTTP POST
 * with a deadline, and a rate counter shared by every worker process. The core stays free of
 * HTTP clients and Redis.
 */

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface TransportResponse {
  status: number;
  /** The start of the response body (robots answer {"errcode":0,...}). */
  body: string;
}

/** A POST that did not get an HTTP answer: timeout, refused connection, DNS failure. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
}

export abstract class DeliveryTransport {
  /** Resolves with any HTTP answer; rejects with a TransportError naming what went wrong ("timeout after 5000 ms"). */
  abstract post(request: OutgoingRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<TransportResponse>;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAt: Date };

export abstract class DeliveryRateLimiter {
  /** Takes one send from the target's allowance of `perMinute`, or says when to try again. */
  abstract take(targetId: string, perMinute: number): Promise<RateDecision>;
}
