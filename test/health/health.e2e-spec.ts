import { freePort } from '../startup/spawned-app';
import { createTestApp, TestApp } from '../support/test-app';

/** A broker the tests can reach: the local Mosquitto, or TEST_MQTT_URL. */
const REACHABLE_BROKER = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

describe('health and API documentation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /health with 200 and every check up, without a token', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { database: 'up', redis: 'up', broker: 'not_configured' },
      down: [],
    });
  });

  it('serves an OpenAPI document that lists /health and /auth/login', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/auth/login']));
    expect(res.body.paths['/auth/login']).toHaveProperty('post');
    expect(res.body.info.title).toContain('智慧社区集成服务');
  });

  it('serves the interactive documentation page at /api/docs', async () => {
    const res = await t.http().get('/api/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger');
  });
});

describe('health with an external broker that is down', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { MQTT_URL: `mqtt://127.0.0.1:${await freePort()}` } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503 and names the broker as down, while the database and Redis stay up', async () => {
    const res = await t.http().get('/health').expect(503);
    expect(res.body).toEqual({
      status: 'error',
      checks: { database: 'up', redis: 'up', broker: 'down' },
      down: ['broker'],
    });
  });
});

describe('health with an external broker that answers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { MQTT_URL: REACHABLE_BROKER } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports the broker up, so the 503 above comes from the broker and nothing else', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.checks).toEqual({ database: 'up', redis: 'up', broker: 'up' });
  });
});
