import { resolve } from 'node:path';
import { z } from 'zod';
import {
  allInOneEnvSchema,
  apiEnvSchema,
  ConfigValidationError,
  ingestEnvSchema,
  parseEnv,
  workerEnvSchema,
} from '@sc/config';
import { databaseSettingsFromEnv, driverOf, sqliteFilePath } from '@sc/database';

/** The problems parseEnv reports for an environment, or [] when it is valid. */
function problemsOf(env: Record<string, string>, schema: z.ZodType = allInOneEnvSchema): string[] {
  try {
    parseEnv(schema, env);
    return [];
  } catch (error: unknown) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

describe('environment schema', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://db.example/sc'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['QUEUE_PREFIX', 'sc'],
    ['JWT_SECRET', 'too-short'],
    ['PSEUDONYM_KEY', 'too-short'],
    ['MQTT_URL', 'http://broker:1883'],
    ['LOG_LEVEL', 'loud'],
  ])('stops on a wrong %s (%s) with a message naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(() => parseEnv(allInOneEnvSchema, { [name]: value })).toThrow(new RegExp(`Invalid configuration:\\n  - ${name}: `));
  });

  it('names every wrong variable at once, so one restart fixes them all', () => {
    const problems = problemsOf({ PORT: '-1', REDIS_URL: 'localhost', QUEUE_PREFIX: 'sc' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['PORT', 'QUEUE_PREFIX', 'REDIS_URL']);
  });

  it('never echoes the value of a secret or the password inside a URL', () => {
    const problems = problemsOf({
      JWT_SECRET: 'short-jwt-9',
      ADMIN_PASSWORD: 'short-pw-7',
      DATABASE_URL: 'mysql://sc:db-password-3@db/sc',
    });
    expect(problems).toHaveLength(3);
    const text = problems.join('\n');
    for (const secret of ['short-jwt-9', 'short-pw-7', 'db-password-3']) expect(text).not.toContain(secret);
    expect(text).toContain('mysql://sc:***@db/sc');
  });

  it('runs on one machine without configuration: SQLite under ./data, Redis on localhost, port 3000', () => {
    const env = parseEnv(allInOneEnvSchema, {});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: '{sc}',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.MQTT_URL).toBeUndefined();
    // Unset: the embedded broker takes 1883, or the next free port when a broker already holds it.
    expect(env.MQTT_EMBEDDED_PORT).toBeUndefined();
    const settings = databaseSettingsFromEnv(env);
    expect(driverOf(settings)).toBe('sqlite');
    expect(sqliteFilePath(settings)).toBe(resolve(process.cwd(), 'data', 'smart-community.sqlite'));
  });

  it('uses PostgreSQL when DATABASE_URL is given, and treats a blank value as absent', () => {
    const pg = parseEnv(workerEnvSchema, { DATABASE_URL: ' postgresql://sc@db:5432/sc ' });
    expect(pg.DATABASE_URL).toBe('postgresql://sc@db:5432/sc');
    expect(driverOf(databaseSettingsFromEnv(pg))).toBe('postgresql');
    const blank = parseEnv(workerEnvSchema, { DATABASE_URL: '  ', JWT_SECRET: '' });
    expect(driverOf(databaseSettingsFromEnv(blank))).toBe('sqlite');
  });

  it('validates each app with its own schema: the API knows PORT, the worker ignores it', () => {
    expect(problemsOf({ PORT: 'abc' }, apiEnvSchema)).toEqual([expect.stringMatching(/^PORT: /)]);
    expect(problemsOf({ PORT: 'abc' }, workerEnvSchema)).toEqual([]);
    expect(problemsOf({ MQTT_EMBEDDED_PORT: 'abc' }, ingestEnvSchema)).toEqual([expect.stringMatching(/^MQTT_EMBEDDED_PORT: /)]);
  });
});
