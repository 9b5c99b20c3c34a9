import { EntityManager } from '@mikro-orm/knex';
import { MikroORM } from '@mikro-orm/core';
import { buildOrmOptions } from '@sc/database';
import { ALL_ENTITIES } from '@sc/core/entities';
import { DeviceTypeSpec } from '@sc/core/devices/device-type';
import { DEVICE_TYPES, getDeviceType } from '@sc/core/devices/device-types.catalogue';
import { Device } from '@sc/core/devices/entities/device.entity';
import { Building } from '@sc/core/org/entities/building.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { GridWorker } from '@sc/core/org/entities/grid-worker.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { OrgLevel } from '@sc/core/org/org-level';
import { issueDeviceCredential } from '@sc/core/devices/device-credentials';
import { deviceTopic } from '@sc/messaging';
import { Factories } from '@sc/testing';

/** An alarm the benchmark raises, and who must be told (DESIGN.md section 5 routing). */
export interface AlarmKind {
  deviceType: string;
  eventType: string;
  recipients: ('grid_worker' | 'company')[];
}

/** Critical safety (both, since critical), major facility (the company), major safety (the grid worker). */
export const ALARM_KINDS: readonly AlarmKind[] = [
  { deviceType: 'smoke', eventType: 'smoke.alarm', recipients: ['grid_worker', 'company'] },
  { deviceType: 'elevator', eventType: 'elevator.fault', recipients: ['company'] },
  { deviceType: 'fall_detector', eventType: 'fall.long_stay', recipients: ['grid_worker'] },
];

export interface BenchCommunity {
  index: number;
  code: string;
  id: string;
  gridWorkerId: string;
  companyId: string;
}

export interface AlarmDevice {
  code: string;
  topic: string;
  community: number;
  kind: AlarmKind;
}

export interface TelemetryDevice {
  topic: string;
  values: string;
}

export interface BenchWorld {
  communities: BenchCommunity[];
  alarmDevices: AlarmDevice[];
  telemetryDevices: TelemetryDevice[];
}

/**
 * Telemetry a healthy device sends: every field away from its thresholds (half way to a `gt`
 * limit, above an `lt` one), flags 0 — the background load must not raise alerts of its own.
 */
export function normalValues(type: DeviceTypeSpec): string {
  const values: Record<string, number> = {};
  for (const field of type.telemetry) {
    const rules = type.thresholds.filter((t) => t.field === field.key);
    let value = field.min === 0 && field.max === 1 ? 0 : field.min + (field.max - field.min) * 0.3;
    for (const rule of rules) {
      if (rule.op === 'gt' && value >= rule.limit) value = field.min + (rule.limit - field.min) / 2;
      if (rule.op === 'lt' && value <= rule.limit) value = rule.limit + (field.max - rule.limit) / 2;
    }
    values[field.key] = Math.round(value * 100) / 100;
  }
  return JSON.stringify(values);
}

/** Migrates the scratch database like the apps do, then writes the org, the rosters and the devices. */
export async function provisionWorld(url: string, dataDir: string, options: { communities: number; alarmDevices: number; telemetryDevices: number }): Promise<BenchWorld> {
  const orm = await MikroORM.init(buildOrmOptions({ url, dataDir, poolMax: 4 }, ALL_ENTITIES));
  try {
    await orm.getMigrator().up();
    const fork = () => orm.em.fork() as EntityManager;
    const factories = new Factories(fork);
    const city = await factories.newUnit(OrgLevel.City, undefined, { code: 'bench-city' });
    const district = await factories.newUnit(OrgLevel.District, city);
    const street = await factories.newUnit(OrgLevel.Street, district);
    const communities: BenchCommunity[] = [];
    for (let i = 0; i < options.communities; i += 1) {
      const community = await factories.newUnit(OrgLevel.Community, street, { code: `bench-c${i}` });
      const grid = await factories.newUnit(OrgLevel.Grid, community, { code: `bench-g${i}` });
      const em = fork();
      const company = em.create(PropertyCompany, { code: `bench-pc${i}`, name: `物业公司 ${i}` });
      const compound = em.create(Compound, { code: `bench-cp${i}`, name: `小区 ${i}`, community: em.getReference(OrgUnit, community.id), propertyCompany: company });
      em.create(Building, { code: '1', name: '1号楼', compound, grid: em.getReference(OrgUnit, grid.id) });
      const worker = em.create(GridWorker, { code: `bench-gw${i}`, name: `网格员 ${i}`, grid: em.getReference(OrgUnit, grid.id) });
      await em.flush();
      communities.push({ index: i, code: community.code, id: community.id, gridWorkerId: worker.id, companyId: company.id });
    }
    const compounds = await fork().find(Compound, { code: { $like: 'bench-cp%' } }, { populate: ['community'] });
    const grids = await fork().find(OrgUnit, { code: { $like: 'bench-g%' } });
    const placeOf = (c: BenchCommunity) => ({
      compound: compounds.find((x) => x.community.id === c.id)!.id,
      grid: grids.find((g) => g.code === `bench-g${c.index}`)!.id,
    });
    const places = communities.map(placeOf);
    // One credential for all: the private broker authenticates the bench's publisher user, not each device.
    const credentialHash = issueDeviceCredential().hash;

    const alarmDevices: AlarmDevice[] = Array.from({ length: options.alarmDevices }, (_, i) => {
      const community = communities[i % communities.length];
      const kind = ALARM_KINDS[i % ALARM_KINDS.length];
      const code = `ba${String(i).padStart(6, '0')}`;
      return { code, topic: deviceTopic(community.code, code, 'event'), community: community.index, kind };
    });
    const telemetryTypes = DEVICE_TYPES.filter((t) => t.telemetry.length > 0);
    const telemetryRows = Array.from({ length: options.telemetryDevices }, (_, i) => {
      const community = communities[i % communities.length];
      const type = telemetryTypes[i % telemetryTypes.length];
      const code = `bt${String(i).padStart(6, '0')}`;
      return { code, type: type.code, community: community.index, topic: deviceTopic(community.code, code, 'telemetry'), values: normalValues(type) };
    });

    const rows = [
      ...alarmDevices.map((d) => ({ code: d.code, type: d.kind.deviceType, community: d.community })),
      ...telemetryRows.map((d) => ({ code: d.code, type: d.type, community: d.community })),
    ];
    for (let start = 0; start < rows.length; start += 1000) {
      const em = fork();
      for (const row of rows.slice(start, start + 1000)) {
        if (!getDeviceType(row.type)) throw new Error(`unknown device type ${row.type}`);
        const community = communities[row.community];
        em.create(Device, {
          code: row.code,
          type: row.type,
          credentialHash,
          community: em.getReference(OrgUnit, community.id),
          compound: em.getReference(Compound, places[row.community].compound),
          grid: em.getReference(OrgUnit, places[row.community].grid),
          location: '1号楼',
        });
      }
      await em.flush();
    }
    return { communities, alarmDevices, telemetryDevices: telemetryRows.map((d) => ({ topic: d.topic, values: d.values })) };
  } finally {
    await orm.close(true);
  }
}
