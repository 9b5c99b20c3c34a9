import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { z } from 'zod';
import { BaseEnv, ConfigValidationError, parseEnv } from '@sc/config';
import { pingRedis, redisUnreachableMessage } from '@sc/messaging';

/** Start-up of the apps without HTTP (ingest, worker): validate, check Redis, run until signalled. */
export async function runBackgroundApp(name: string, schema: z.ZodType<BaseEnv>, root: DynamicModule): Promise<void> {
  let env: BaseEnv;
  try {
    env = parseEnv(schema, process.env);
  } catch (error: unknown) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  try {
    await pingRedis(env.REDIS_URL);
  } catch (error: unknown) {
    process.stderr.write(`${redisUnreachableMessage(env.REDIS_URL, error)}\n`);
    process.exitCode = 1;
    return;
  }
  const app = await NestFactory.createApplicationContext(root, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Exit 0 after a graceful close (the default re-raises the signal, exit 143) and let pino flush.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.init();
  app.get(Logger).log(`${name} started`);
}
