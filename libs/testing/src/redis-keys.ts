import { Redis } from 'ioredis';

/**
 * Deletes every key under a queue prefix: the BullMQ queues and whatever else the service keeps
 * there (the reconcile marker, rate-limit windows). Tests and benchmarks each use a prefix of
 * their own on the shared Redis and leave nothing behind.
 */
export async function dropPrefixKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
