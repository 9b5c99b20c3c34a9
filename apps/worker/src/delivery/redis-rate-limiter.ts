import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DeliveryRateLimiter, RateDecision } from '@sc/core/delivery/delivery-ports';
import { REDIS_CLIENT } from '@sc/messaging';
import { QUEUE_SETTINGS, QueueSettings } from '@sc/platform';

const WINDOW_MS = 60_000;

/**
 * Per target, the sends of the last 60 s (a sorted set of send times, Redis' clock): a send is
 * allowed while fewer than the allowance are in the window, and otherwise waits until the
 * oldest one leaves it. Exact at minute boundaries (a counter per calendar minute would let
 * twice the allowance through around one), checked and recorded in one script shared by every
 * worker, on Redis' clock so workers' clock skew does not matter.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, now .. '-' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now + 1
`;

const TAKE_SHA = createHash('sha1').update(TAKE).digest('hex');

@Injectable()
export class RedisRateLimiter extends DeliveryRateLimiter {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
  ) {
    super();
  }

  /** By EVALSHA: the script's text goes to Redis only when Redis does not know it yet (NOSCRIPT), not with every send. */
  private async take1(key: string, perMinute: number): Promise<unknown> {
    const args = [key, perMinute, WINDOW_MS, randomBytes(6).toString('hex')] as const;
    try {
      return await this.redis.evalsha(TAKE_SHA, 1, ...args);
    } catch (error: unknown) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(TAKE, 1, ...args);
    }
  }

  async take(targetId: string, perMinute: number): Promise<RateDecision> {
    // The prefix's hash tag puts the key in the queues' cluster slot.
    const key = `${this.settings.prefix}:delivery-rate:${targetId}`;
    const waitMs = Number(await this.take1(key, perMinute));
    if (waitMs <= 0) return { allowed: true };
    return { allowed: false, retryAt: new Date(Date.now() + waitMs + jitterMs(perMinute)) };
  }
}

/** Spreads jobs that wait for the same slot, so they do not all wake at one instant. */
function jitterMs(perMinute: number): number {
  return Math.floor(Math.random() * Math.min(1000, WINDOW_MS / perMinute));
}
