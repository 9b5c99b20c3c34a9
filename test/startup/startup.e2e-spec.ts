import { createServer, Server } from 'node:net';
import { createTestDatabase, TestDatabase } from '@sc/testing';
import { freePort, pollUntil, SpawnedApp, spawnAllInOne } from './spawned-app';

/** The real entry point in its own process: what an operator sees on a good and a bad start. */
describe('all-in-one start-up', () => {
  const quiet = { LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  let app: SpawnedApp | undefined;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => {
    app?.kill();
    app = undefined;
  });
  afterAll(async () => {
    await db.drop();
  });

  it('stops with a non-zero code and says how to get Redis when Redis is not reachable', async () => {
    const closed = await freePort();
    app = spawnAllInOne({ ...quiet, ...db.env, PORT: String(await freePort()), REDIS_URL: `redis://127.0.0.1:${closed}` });
    const exit = await app.exited(30_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(app.stderr()).toContain(`Redis is not reachable at redis://127.0.0.1:${closed}`);
    expect(app.stderr()).toContain('docker compose up -d redis');
    expect(app.stderr()).toContain('apt-get install redis-server');
  });

  it('stops with a non-zero code naming PORT when PORT is not a number', async () => {
    app = spawnAllInOne({ ...quiet, ...db.env, PORT: 'abc' });
    const exit = await app.exited(30_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(app.stderr()).toMatch(/Invalid configuration:\n\s+- PORT: /);
  });

  it('serves a healthy /health on the chosen port, then exits with code 0 on SIGTERM', async () => {
    const port = await freePort();
    // The embedded broker (when the ingest app runs one) must not collide with a local Mosquitto.
    app = spawnAllInOne({ ...quiet, ...db.env, PORT: String(port), MQTT_EMBEDDED_PORT: String(await freePort()) });
    const body = await pollUntil(app, `http://127.0.0.1:${port}/health`, 200, 60_000);
    // The broker is the process's own embedded one, listening.
    expect(body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up', broker: 'up' }, down: [] });
    expect(app.stdout()).toContain(`listening on http://127.0.0.1:${port}`);

    app.child.kill('SIGTERM');
    const exit = await app.exited(15_000);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('starts with no MQTT settings on a machine whose port 1883 another broker holds, and says where its broker listens', async () => {
    // Hold 1883 unless something (the machine's Mosquitto) already does: either way it is taken.
    const holder: Server = createServer();
    const held = await new Promise<boolean>((resolve) => {
      holder.once('error', () => resolve(false));
      holder.listen(1883, () => resolve(true));
    });
    try {
      const port = await freePort();
      app = spawnAllInOne({ ...quiet, ...db.env, PORT: String(port) });
      const body = await pollUntil(app, `http://127.0.0.1:${port}/health`, 200, 60_000);
      expect(body).toMatchObject({ status: 'ok' });
      expect(app.stdout()).toContain('MQTT port 1883 is taken');
    } finally {
      if (held) await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  }, 90_000);
});
