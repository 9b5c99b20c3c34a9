import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { baseEnvSchema, parseEnv } from '@sc/config';
import { queueSettingsFrom } from '@sc/platform';
import { dropPrefixKeys } from '@sc/testing';
import { RedisRateLimiter } from '../../apps/worker/src/delivery/redis-rate-limiter';
import { uniqueQueuePrefix } from '../support/worker-test-app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('the delivery rate limiter (real Redis)', () => {
  const prefix = uniqueQueuePrefix();
  let redis: Redis;
  let limiter: RedisRateLimiter;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    limiter = new RedisRateLimiter(redis, queueSettingsFrom(parseEnv(baseEnvSchema, { REDIS_URL, QUEUE_PREFIX: prefix })));
  });
  afterAll(async () => {
    await redis.quit();
    await dropPrefixKeys(REDIS_URL, prefix);
  });

  it('gives each target its own allowance when sends to several targets ask at the same moment, counting repeats of one target', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const asked = [a, b, a, c, a, b].map((target) => ({ target, perMinute: target === a ? 2 : 1 }));
    const decisions = await Promise.all(asked.map(({ target, perMinute }) => limiter.take(target, perMinute)));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false, false]);
    for (const d of decisions.filter((x) => !x.allowed)) {
      if (d.allowed) continue;
      // The oldest send leaves the 60 s window in about a minute.
      expect(d.retryAt.getTime()).toBeGreaterThan(Date.now() + 55_000);
    }
    // The allowance is remembered across calls.
    expect((await limiter.take(c, 1)).allowed).toBe(false);
    expect((await limiter.take(randomUUID(), 1)).allowed).toBe(true);
  });
});
