import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { Building } from '@sc/core/org/entities/building.entity';
import { Compound } from '@sc/core/org/entities/compound.entity';
import { GridWorker } from '@sc/core/org/entities/grid-worker.entity';
import { OrgUnit } from '@sc/core/org/entities/org-unit.entity';
import { Party } from '@sc/core/org/entities/party.entity';
import { PartyMember } from '@sc/core/org/entities/party-member.entity';
import { PropertyCompany } from '@sc/core/org/entities/property-company.entity';
import { HUAINAN_FIXTURE, loadFixture } from '../../scripts/load-fixture';
import { createTestApp, TEST_ADMIN, TestApp } from '../support/test-app';

const fixture = JSON.parse(readFileSync(HUAINAN_FIXTURE, 'utf8')) as Record<string, unknown[]>;
const fixtureRows = Object.values(fixture).reduce((n, rows) => n + rows.length, 0);

describe('the Huainan fixture', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminAuth();
  });
  afterAll(async () => {
    await t.close();
  });

  async function rowCounts(): Promise<number[]> {
    const em = t.em();
    return Promise.all([OrgUnit, PropertyCompany, Compound, Building, GridWorker, Party, PartyMember].map((entity) => em.count(entity, {})));
  }

  it('loads through POST /org/import without a single row error', async () => {
    const res = await t.http().post('/org/import').set('Authorization', admin).send(fixture).expect(200);
    expect(res.body).toEqual({ created: fixtureRows, failed: 0, errors: [] });
  });

  it('holds 锦里社区 under 洞山街道 and 田家庵区, with its compounds, buildings and the four joint-meeting parties', async () => {
    const found = await t.http().get('/org/units').query({ q: '锦里社区', level: 'community' }).set('Authorization', admin).expect(200);
    expect(found.body.items).toHaveLength(1);
    const jinli = found.body.items[0] as { id: string; code: string; pilot: boolean; settlement: string; parentId: string };
    expect(jinli).toMatchObject({ code: 'HN-TJA-DS-JL', pilot: true, settlement: 'urban' });
    const street = await t.http().get(`/org/units/${jinli.parentId}`).set('Authorization', admin).expect(200);
    expect(street.body).toMatchObject({ name: '洞山街道' });
    const district = await t.http().get(`/org/units/${street.body.parentId as string}`).set('Authorization', admin).expect(200);
    expect(district.body).toMatchObject({ name: '田家庵区' });

    const compounds = await t.http().get('/compounds').query({ communityId: jinli.id }).set('Authorization', admin).expect(200);
    expect(compounds.body.total).toBe(2);
    const buildings = await t.http().get(`/compounds/${compounds.body.items[0].id as string}/buildings`).set('Authorization', admin).expect(200);
    expect(buildings.body.total).toBeGreaterThan(0);

    const parties = await t.http().get('/parties').query({ communityId: jinli.id }).set('Authorization', admin).expect(200);
    const kinds = (parties.body.items as { kind: string }[]).map((p) => p.kind).sort();
    expect(kinds).toEqual(['owners_committee', 'party_organisation', 'property_company', 'residents_committee']);
    const convener = (parties.body.items as { id: string; kind: string }[]).find((p) => p.kind === 'party_organisation');
    const members = await t.http().get(`/parties/${convener?.id ?? ''}/members`).set('Authorization', admin).expect(200);
    expect(members.body.items.length).toBeGreaterThan(0);

    const pilots = await t.http().get('/org/units').query({ pilot: 'true' }).set('Authorization', admin).expect(200);
    expect(pilots.body.total).toBe(6);
    const villages = ['臧巷村', '余楼村', '龙祠村', '大郢村'];
    for (const name of villages) {
      const village = await t.http().get('/org/units').query({ q: name, level: 'community' }).set('Authorization', admin).expect(200);
      expect(village.body.items).toEqual([expect.objectContaining({ name, level: 'community', settlement: 'rural' })]);
    }
  });

  it('loaded a second time by the loader script, reports every row as a duplicate and changes nothing', async () => {
    const before = await rowCounts();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const result = await loadFixture({ url: `http://127.0.0.1:${port}`, username: TEST_ADMIN.username, password: TEST_ADMIN.password, file: HUAINAN_FIXTURE });
    expect(result).toMatchObject({ created: 0, failed: fixtureRows });
    for (const error of result.errors) expect(error.message).toMatch(/already/);
    expect(await rowCounts()).toEqual(before);
  });
});
