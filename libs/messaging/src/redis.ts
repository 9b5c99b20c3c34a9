import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { APP_ENV, BaseEnv } from '@sc/config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** BullMQ needs maxRetriesPerRequest null on blocking connections; plain clients fail fast instead. */
export function redisOptions(url: string, overrides: RedisOptions = {}): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    ...overrides,
  };
}

/** One PING with a deadline; used at start-up to fail with a helpful message. */
export async function pingRedis(url: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

export function redisUnreachableMessage(url: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return [
    `Redis is not reachable at ${url} (${reason}).`,
    'The service needs Redis for its queues. Start one and try again:',
    '  docker compose up -d redis                 # with the project\'s docker-compose.yml',
    '  sudo apt-get install redis-server          # Debian/Ubuntu, then: sudo systemctl start redis-server',
    'or point REDIS_URL at a running Redis (redis://host:6379).',
  ].join('\n');
}

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** A shared Redis client for health checks and small commands (queues use their own connections). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_ENV],
      useFactory: (env: BaseEnv) => {
        const client = new Redis({ ...redisOptions(env.REDIS_URL), maxRetriesPerRequest: 1, connectTimeout: 3000 });
        client.on('error', () => undefined); // state is reported by /health
        return client;
      },
    },
    RedisShutdown,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
