import { readFileSync } from 'node:fs';

/**
 * The simulated fleet: a realistic device mix placed across the pilot communities of the Huainan
 * fixture. The plan is a pure function of the fixture, the prefix and the count, and the k-th
 * device of a type always lands in the same place, so reruns (even with more devices) find the
 * devices they provisioned before.
 */

interface FixtureUnit {
  code: string;
  name: string;
  level: string;
  parentCode?: string;
  pilot?: boolean;
}
interface FixtureCompound {
  code: string;
  name: string;
  communityCode: string;
}
interface FixtureBuilding {
  compoundCode: string;
  code: string;
  name: string;
  gridCode?: string;
  floors?: number;
}
export interface OrgFixture {
  units: FixtureUnit[];
  compounds: FixtureCompound[];
  buildings: FixtureBuilding[];
}

/** Where a device can go: a building of a compound, or (communities without compounds) a grid. */
export interface Slot {
  communityCode: string;
  compoundCode?: string;
  compoundName?: string;
  buildingCode?: string;
  buildingName?: string;
  gridCode?: string;
  floors: number;
}

export interface PlannedDevice {
  code: string;
  type: string;
  name: string;
  location: string;
  /** The {siteId} of the device's topics: its community's code. */
  siteId: string;
  communityCode: string;
  compoundCode?: string;
  buildingCode?: string;
  gridCode?: string;
  /** Floors of its building (elevator floors, flat numbers). */
  floors: number;
  /** 1-based index among the devices of its type. */
  index: number;
}

type Placement = 'building' | 'grounds' | 'elevator';

/**
 * Shares of each type in a typical smart-community retrofit: smoke alarms in every stairwell and
 * many homes, gas detectors in kitchens, meters per flat, fewer big-ticket items (elevator
 * monitors only in buildings tall enough to have a lift, hydrants and manholes on the grounds).
 */
export const DEVICE_MIX: readonly { type: string; short: string; weight: number; placement: Placement }[] = [
  { type: 'smoke', short: 'smoke', weight: 26, placement: 'building' },
  { type: 'gas', short: 'gas', weight: 10, placement: 'building' },
  { type: 'water_meter', short: 'meter', weight: 12, placement: 'building' },
  { type: 'door_contact', short: 'door', weight: 10, placement: 'building' },
  { type: 'water_leak', short: 'leak', weight: 7, placement: 'building' },
  { type: 'sos_button', short: 'sos', weight: 6, placement: 'building' },
  { type: 'access_controller', short: 'access', weight: 5, placement: 'building' },
  { type: 'fall_detector', short: 'fall', weight: 4, placement: 'building' },
  { type: 'elevator', short: 'elev', weight: 4, placement: 'elevator' },
  { type: 'ebike_camera', short: 'ebike', weight: 3, placement: 'elevator' },
  { type: 'throwing_camera', short: 'throw', weight: 3, placement: 'building' },
  { type: 'hydrant_pressure', short: 'hydrant', weight: 5, placement: 'grounds' },
  { type: 'manhole_cover', short: 'manhole', weight: 3, placement: 'grounds' },
  { type: 'parking_barrier', short: 'barrier', weight: 2, placement: 'grounds' },
];

/** Buildings above six floors have lifts (the usual rule for Chinese residential blocks). */
const LIFT_FLOORS = 7;

export function readFixture(path: string): OrgFixture {
  return JSON.parse(readFileSync(path, 'utf8')) as OrgFixture;
}

export function pilotCommunities(fixture: OrgFixture): FixtureUnit[] {
  return fixture.units.filter((u) => u.level === 'community' && u.pilot === true);
}

/** Building slots, grounds slots and lift-building slots of the pilot communities. */
export function slotsOf(fixture: OrgFixture): Record<Placement, Slot[]> {
  const building: Slot[] = [];
  const grounds: Slot[] = [];
  for (const community of pilotCommunities(fixture)) {
    const compounds = fixture.compounds.filter((c) => c.communityCode === community.code);
    const grids = fixture.units.filter((u) => u.level === 'grid' && u.parentCode === community.code);
    for (const compound of compounds) {
      const buildings = fixture.buildings.filter((b) => b.compoundCode === compound.code);
      for (const b of buildings) {
        building.push({
          communityCode: community.code,
          compoundCode: compound.code,
          compoundName: compound.name,
          buildingCode: b.code,
          buildingName: b.name,
          gridCode: b.gridCode,
          floors: b.floors ?? 6,
        });
      }
      grounds.push({ communityCode: community.code, compoundCode: compound.code, compoundName: compound.name, gridCode: buildings[0]?.gridCode, floors: 1 });
    }
    if (compounds.length === 0) {
      // A pilot community whose compounds the fixture does not list: devices sit in its grids.
      for (const grid of grids) {
        building.push({ communityCode: community.code, gridCode: grid.code, floors: 6 });
        grounds.push({ communityCode: community.code, gridCode: grid.code, floors: 1 });
      }
    }
  }
  const lifts = building.filter((s) => s.floors >= LIFT_FLOORS);
  return { building, grounds, elevator: lifts.length > 0 ? lifts : building };
}

/** Largest-remainder apportionment of `total` over the mix, at least one of each type when it fits. */
export function apportion(total: number): Map<string, number> {
  const weightSum = DEVICE_MIX.reduce((sum, m) => sum + m.weight, 0);
  const exact = DEVICE_MIX.map((m) => ({ type: m.type, exact: (total * m.weight) / weightSum }));
  const counts = new Map(exact.map((e) => [e.type, Math.floor(e.exact)]));
  let left = total - [...counts.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...exact].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)));
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left--) {
    const type = byRemainder[i].type;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  if (total >= DEVICE_MIX.length) {
    // Take from the largest share to give every type a device: a demo fleet should show each.
    for (const m of DEVICE_MIX) {
      if ((counts.get(m.type) ?? 0) > 0) continue;
      const [largest] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      counts.set(largest[0], largest[1] - 1);
      counts.set(m.type, 1);
    }
  }
  return counts;
}

const LOCATIONS: Record<string, (slot: Slot, k: number) => string> = {
  smoke: (s, k) => `${unit(k)}单元${floor(s, k)}楼楼道`,
  gas: (s, k) => `${flat(s, k)}室厨房`,
  water_meter: (s, k) => `${flat(s, k)}室水表井`,
  door_contact: (s, k) => (k % 2 === 0 ? `${unit(k)}单元单元门` : `${unit(k)}单元消防通道门`),
  water_leak: (s, k) => (k % 3 === 0 ? '地下室水泵房' : `${flat(s, k)}室卫生间`),
  sos_button: (s, k) => `${flat(s, k)}室(独居老人)`,
  access_controller: (_s, k) => `${unit(k)}单元门禁`,
  fall_detector: (s, k) => `${flat(s, k)}室卫生间(独居老人)`,
  elevator: (_s, k) => `${unit(k)}单元电梯`,
  ebike_camera: (_s, k) => `${unit(k)}单元电梯轿厢`,
  throwing_camera: (_s, k) => (k % 2 === 0 ? '楼栋南立面' : '楼栋北立面'),
  hydrant_pressure: (_s, k) => ['东门消火栓', '西门消火栓', '中心花园消火栓'][k % 3],
  manhole_cover: (_s, k) => ['主干道雨水井盖', '北门污水井盖', '车库入口井盖'][k % 3],
  parking_barrier: (_s, k) => ['北门车辆道闸', '南门车辆道闸'][k % 2],
};

const unit = (k: number) => 1 + (k % 3);
const floor = (s: Slot, k: number) => 1 + (Math.floor(k / 3) % Math.max(1, s.floors));
const flat = (s: Slot, k: number) => `${floor(s, k)}0${1 + (k % 2)}`;

/** The first `total` devices of the fleet, named `<prefix>-<type>-<nnnn>`. */
export function planFleet(fixture: OrgFixture, total: number, prefix: string): PlannedDevice[] {
  const slots = slotsOf(fixture);
  if (slots.building.length === 0) throw new Error('the fixture has no pilot community to place devices in');
  const counts = apportion(total);
  const devices: PlannedDevice[] = [];
  DEVICE_MIX.forEach((mix, typeIndex) => {
    const pool = slots[mix.placement].length > 0 ? slots[mix.placement] : slots.building;
    for (let k = 0; k < (counts.get(mix.type) ?? 0); k++) {
      // Offsetting by type spreads the first devices of each type over different places.
      const slot = pool[(k + typeIndex * 5) % pool.length];
      const where = [slot.compoundName, slot.buildingName].filter(Boolean).join(' ') || slot.gridCode || slot.communityCode;
      const location = LOCATIONS[mix.type](slot, k);
      devices.push({
        code: `${prefix}-${mix.short}-${String(k + 1).padStart(4, '0')}`,
        type: mix.type,
        name: `${where} ${location}`.slice(0, 200),
        location,
        siteId: slot.communityCode,
        communityCode: slot.communityCode,
        compoundCode: slot.compoundCode,
        buildingCode: slot.buildingCode,
        gridCode: slot.gridCode,
        floors: slot.floors,
        index: k + 1,
      });
    }
  });
  return devices;
}
