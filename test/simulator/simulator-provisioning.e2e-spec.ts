import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceCredentialsService } from '@sc/core/devices/device-credentials.service';
import { HUAINAN_FIXTURE, loadFixture } from '../../scripts/load-fixture';
import { planFleet, readFixture } from '../../scripts/simulator/fleet';
import { provisionFleet, ServiceApi } from '../../scripts/simulator/provision';
import { createTestApp, TEST_ADMIN, TestApp } from '../support/test-app';

interface SecretsFile {
  services: Record<string, { devices: Record<string, { id: string; secret: string }> }>;
}

describe('simulator provisioning through the HTTP API', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  let secretsPath: string;
  let credentials: DeviceCredentialsService;
  const plan = planFleet(readFixture(HUAINAN_FIXTURE), 30, 'simprov');
  const lines: string[] = [];
  const provision = async () => {
    const api = new ServiceApi(url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    return provisionFleet(api, plan, { url, prefix: 'simprov', secretsPath, log: (line) => lines.push(line) });
  };
  const stored = () => JSON.parse(readFileSync(secretsPath, 'utf8')) as SecretsFile;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    credentials = t.app.get(DeviceCredentialsService);
    dir = mkdtempSync(join(tmpdir(), 'sc-simulator-'));
    secretsPath = join(dir, 'simulator-devices.json');
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says to load the Huainan fixture when the service does not know its communities', async () => {
    await expect(provision()).rejects.toThrow(/npm run fixture:huainan/);
  });

  it('provisions the fleet once the fixture is loaded, and keeps secrets that open the broker in a 0600 file', async () => {
    await loadFixture({ url, username: TEST_ADMIN.username, password: TEST_ADMIN.password, file: HUAINAN_FIXTURE });
    const report = await provision();
    expect(report).toMatchObject({ created: 30, reused: 0, rotated: 0, disabled: [] });
    expect(report.devices).toHaveLength(30);
    expect(statSync(secretsPath).mode & 0o777).toBe(0o600);
    for (const device of report.devices) {
      const authenticated = await credentials.authenticate(device.code, device.secret);
      expect(authenticated?.siteId).toBe(plan.find((p) => p.code === device.code)?.siteId);
    }
  });

  it('reuses every stored secret on a rerun and creates nothing', async () => {
    const before = stored();
    const report = await provision();
    expect(report).toMatchObject({ created: 0, reused: 30, rotated: 0 });
    expect(stored()).toEqual(before);
  });

  it('issues a new credential for a device whose secret was lost, and the old one stops working', async () => {
    const file = stored();
    const devices = file.services[url].devices;
    const lost = plan[3].code;
    const oldSecret = devices[lost].secret;
    delete devices[lost];
    writeFileSync(secretsPath, JSON.stringify(file), { mode: 0o600 });

    const report = await provision();
    expect(report).toMatchObject({ created: 0, reused: 29, rotated: 1 });
    const renewed = stored().services[url].devices[lost].secret;
    expect(renewed).not.toBe(oldSecret);
    expect(await credentials.authenticate(lost, oldSecret)).toBeNull();
    expect((await credentials.authenticate(lost, renewed))?.code).toBe(lost);
  });

  it('leaves a disabled device out instead of failing the run', async () => {
    const id = stored().services[url].devices[plan[0].code].id;
    await t.http().post(`/devices/${id}/disable`).set('Authorization', await t.adminAuth()).expect(200);
    const report = await provision();
    expect(report.disabled).toEqual([plan[0].code]);
    expect(report.devices.map((d) => d.code)).not.toContain(plan[0].code);
  });
});
