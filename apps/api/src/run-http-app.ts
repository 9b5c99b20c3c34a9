import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { ApiEnv, APP_ENV, ConfigValidationError, parseEnv } from '@sc/config';
import { pingRedis, redisUnreachableMessage } from '@sc/messaging';
import { configureHttpApp } from './http/configure-http-app';

/**
 * Start-up shared by the API and the all-in-one entry: validate the environment, make sure
 * Redis answers (with a message saying how to get one), then serve HTTP.
 */
export async function runHttpApp(
  name: string,
  schema: z.ZodType<ApiEnv>,
  root: DynamicModule,
): Promise<INestApplication | undefined> {
  let env: ApiEnv;
  try {
    env = parseEnv(schema, process.env);
  } catch (error: unknown) {
    if (error instanceof ConfigValidationError) return fail(error.message);
    throw error;
  }
  try {
    await pingRedis(env.REDIS_URL);
  } catch (error: unknown) {
    return fail(redisUnreachableMessage(env.REDIS_URL, error));
  }
  const app = await NestFactory.create(root, { bufferLogs: true });
  const appEnv = app.get<ApiEnv>(APP_ENV);
  configureHttpApp(app, { bodyLimit: appEnv.BODY_LIMIT });
  await app.listen(appEnv.PORT, appEnv.HOST);
  const url = await app.getUrl();
  process.stdout.write(`${name} listening on ${url.replace('[::1]', 'localhost')} (docs: /api/docs)\n`);
  return app;
}

function fail(message: string): undefined {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
  return undefined;
}
