import { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EntityManager } from '@mikro-orm/knex';
import request from 'supertest';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureHttpApp } from '../../apps/api/src/http/configure-http-app';
import { apiEnvSchema, BaseEnv } from '@sc/config';
import { z } from 'zod';
import { PlatformModule } from '@sc/platform';
import { createTestDatabase, Factories, TestDatabase } from '@sc/testing';

export const TEST_ADMIN = { username: 'admin', password: 'admin-password-for-tests' };

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  /** A supertest agent on the running app. */
  http: () => ReturnType<typeof request>;
  /** A fork of the entity manager, for arranging and asserting rows directly. */
  em: () => EntityManager;
  factories: Factories;
  /** Logs in and returns the Authorization header value. */
  login(username: string, password: string): Promise<string>;
  adminAuth(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The API as it ships (same module, same HTTP configuration) on a fresh database of the
 * driver under test and the real Redis. Extra modules can be added for a test's needs.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; imports?: Type[]; schema?: z.ZodType<BaseEnv>; name?: string } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const env = {
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    JWT_SECRET: 'test-jwt-secret-of-at-least-thirty-two-chars',
    PSEUDONYM_KEY: 'test-pseudonym-key-of-at-least-thirty-two-chars',
    ...db.env,
    ...options.env,
  };
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformModule.forApp({ name: options.name ?? 'api-test', schema: options.schema ?? apiEnvSchema, env }),
        ApiModule,
        ...(options.imports ?? []),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    configureHttpApp(app, { bodyLimit: '10mb' });
    await app.init();
  } catch (error: unknown) {
    // A half-built app keeps its connections open and jest would never exit.
    await app?.close().catch(() => undefined);
    await db.drop();
    throw error;
  }
  const server = app.getHttpServer();
  const em = () => app.get(EntityManager).fork();
  const login = async (username: string, password: string): Promise<string> => {
    const res = await request(server).post('/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return `Bearer ${(res.body as { accessToken: string }).accessToken}`;
  };
  let adminHeader: string | undefined;
  return {
    app,
    db,
    http: () => request(server),
    em,
    factories: new Factories(em),
    login,
    adminAuth: async () => (adminHeader ??= await login(TEST_ADMIN.username, TEST_ADMIN.password)),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
