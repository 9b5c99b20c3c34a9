import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DeliveryRateLimiter, RateDecision } from '@sc/core/delivery/delivery-ports';
import { REDIS_CLIENT } from '@sc/messaging';
import { QUEUE_SETTINGS, QueueSettings } from '@sc/platform';
import { Coalescer } from '@sc/core/shared/coalescer';

const WINDOW_MS = 60_000;

/**
 * Per target, the sends of the last 60 s (a sorted set of send times, Redis' clock): a send is
 * allowed while fewer than the allowance are in the window, and otherwise waits until the
 * oldest one leaves it. Exact at minute boundaries (a counter per calendar minute would let
 * twice the allowance through around one), checked and recorded in one script shared by every
 * worker, on Redis' clock so workers' clock skew does not matter. One call takes a slot for
 * each of several sends (KEYS[i], allowance ARGV[i + 2]), in order, so the same target twice in
 * one call counts twice; it answers 0 (allowed) or the milliseconds to wait, per send.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) < tonumber(ARGV[i + 2]) then
    redis.call('ZADD', key, now, now .. '-' .. ARGV[2] .. '-' .. i)
    redis.call('PEXPIRE', key, window)
    out[i] = 0
  else
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    out[i] = tonumber(oldest[2]) + window - now + 1
  end
end
return out
`;

const TAKE_SHA = createHash('sha1').update(TAKE).digest('hex');

/** Sends asking at the same time share one script call (keys in one cluster slot: the prefix's hash tag). */
const TAKE_BATCH = { maxBatch: 100, maxInFlight: 2 };

interface TakeRequest {
  targetId: string;
  perMinute: number;
}

@Injectable()
export class RedisRateLimiter extends DeliveryRateLimiter {
  private readonly batches = new Coalescer<TakeRequest, number>((requests) => this.takeAll(requests), TAKE_BATCH);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
  ) {
    super();
  }

  async take(targetId: string, perMinute: number): Promise<RateDecision> {
    const waitMs = await this.batches.load({ targetId, perMinute });
    if (waitMs <= 0) return { allowed: true };
    return { allowed: false, retryAt: new Date(Date.now() + waitMs + jitterMs(perMinute)) };
  }

  /** By EVALSHA: the script's text goes to Redis only when Redis does not know it yet (NOSCRIPT), not with every call. */
  private async takeAll(requests: TakeRequest[]): Promise<Map<TakeRequest, number>> {
    // The prefix's hash tag puts the keys in the queues' cluster slot.
    const keys = requests.map((r) => `${this.settings.prefix}:delivery-rate:${r.targetId}`);
    const args = [...keys, WINDOW_MS, randomBytes(6).toString('hex'), ...requests.map((r) => r.perMinute)];
    let answer: unknown;
    try {
      answer = await this.redis.evalsha(TAKE_SHA, keys.length, ...args);
    } catch (error: unknown) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      answer = await this.redis.eval(TAKE, keys.length, ...args);
    }
    if (!Array.isArray(answer) || answer.length !== requests.length) throw new Error(`rate limit script answered ${String(answer)} for ${requests.length} sends`);
    const waits: readonly unknown[] = answer;
    return new Map(requests.map((r, i) => [r, Number(waits[i])]));
  }
}

/** Spreads jobs that wait for the same slot, so they do not all wake at one instant. */
function jitterMs(perMinute: number): number {
  return Math.floor(Math.random() * Math.min(1000, WINDOW_MS / perMinute));
}
