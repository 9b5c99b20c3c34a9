import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/knex';
import { Response } from 'express';
import { Redis } from 'ioredis';
import { REDIS_CLIENT } from '@sc/messaging';
import { Public } from '../auth/auth.decorators';
import { BROKER_PROBE, BrokerProbe } from './broker-probe';

type CheckState = 'up' | 'down' | 'not_configured';

class HealthBody {
  status!: 'ok' | 'error';
  checks!: Record<string, CheckState>;
  down!: string[];
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** 200 when the database, Redis and (when there is one) the broker answer; 503 naming what is down. */
@ApiTags('health 健康检查')
@Controller('health')
export class HealthController {
  constructor(
    private readonly em: EntityManager,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(BROKER_PROBE) private readonly broker: BrokerProbe,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: HealthBody })
  @ApiServiceUnavailableResponse({ type: HealthBody })
  async health(@Res() res: Response): Promise<void> {
    const [database, redis, broker] = await Promise.all([
      this.check(() => this.em.fork().getConnection().execute('select 1')),
      this.check(() => this.redis.ping()),
      this.broker.configured ? this.check(() => this.broker.ping()) : Promise.resolve<CheckState>('not_configured'),
    ]);
    const checks = { database, redis, broker };
    const down = Object.entries(checks)
      .filter(([, state]) => state === 'down')
      .map(([name]) => name);
    const body: HealthBody = { status: down.length === 0 ? 'ok' : 'error', checks, down };
    res.status(down.length === 0 ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
  }

  private async check(probe: () => Promise<unknown>): Promise<CheckState> {
    try {
      await withDeadline(probe(), 2000);
      return 'up';
    } catch {
      return 'down';
    }
  }
}
