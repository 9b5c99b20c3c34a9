import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery, raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { OrgLevel } from '../org/org-level';
import { containsPattern, Page, PageQuery, pageWindow } from '../shared/paging';
import { compoundInScope, compoundScopeFilter, Scope, unitInScope, unitIsAncestorOfScope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { issueDeviceCredential } from './device-credentials';
import { assertWritable, DEVICE_POPULATE, findVisibleDevice, findWritableDevice } from './device-access';
import { checkDeviceCode, checkDeviceType, DeviceText, isUuid, textColumns } from './device-fields';
import { Placement, placementColumns, placementRefs, PlacementResolver, PlacementSlot } from './device-placement';
import { deviceScopeFilter } from './device-scope';
import { Device } from './entities/device.entity';

/** Placement by id or code (see device-placement.ts); on update null clears compound, building or grid. */
export type DevicePlacementInput = Partial<Record<`${PlacementSlot}${'Id' | 'Code'}`, string | null>>;

export interface ProvisionDeviceInput extends DeviceText, DevicePlacementInput {
  code: string;
  type: string;
}

export type UpdateDeviceInput = DeviceText & DevicePlacementInput;

export interface DeviceListQuery extends PageQuery {
  communityId?: string;
  compoundId?: string;
  gridId?: string;
  type?: string;
  enabled?: boolean;
  q?: string;
}

/** A device with its one-time secret: the only moment the secret exists outside the device. */
export interface DeviceWithSecret {
  device: Device;
  secret: string;
}

/**
 * The device registry: provisioning, placement, enable/disable, reads. Every call is checked
 * against the caller's scope (device-scope.ts); a device outside it reads as not found.
 */
@Injectable()
export class DevicesService {
  constructor(private readonly em: EntityManager) {}

  async provision(scope: Scope, input: ProvisionDeviceInput): Promise<DeviceWithSecret> {
    const code = checkDeviceCode(input.code);
    const type = checkDeviceType(input.type);
    const em = this.em.fork();
    const placement = await new PlacementResolver(em).resolve(placementRefs(input));
    assertWritable(scope, placement);
    if ((await em.count(Device, { code })) > 0) throw duplicateCode(code);
    const credential = issueDeviceCredential();
    const device = em.create(Device, { code, type, credentialHash: credential.hash, ...placementColumns(placement), ...textColumns(input) });
    await flushOrConflict(em, code);
    return { device, secret: credential.secret };
  }

  async get(scope: Scope, id: string): Promise<Device> {
    return findVisibleDevice(this.em.fork(), scope, id);
  }

  async update(scope: Scope, id: string, input: UpdateDeviceInput): Promise<Device> {
    const em = this.em.fork();
    const device = await findWritableDevice(em, scope, id);
    const refs = placementRefs(input);
    if (Object.keys(refs).length > 0) {
      const placement = await new PlacementResolver(em).resolve(refs, currentPlacement(device));
      assertWritable(scope, placement);
      Object.assign(device, placementColumns(placement));
    }
    Object.assign(device, textColumns(input));
    await em.flush();
    // A grid taken over from a building may be a bare reference; the view needs its code.
    await em.populate(device, DEVICE_POPULATE);
    return device;
  }

  async setEnabled(scope: Scope, id: string, enabled: boolean): Promise<Device> {
    const em = this.em.fork();
    const device = await findWritableDevice(em, scope, id);
    device.enabled = enabled;
    await em.flush();
    return device;
  }

  async list(scope: Scope, query: DeviceListQuery): Promise<Page<Device>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const and: FilterQuery<Device>[] = [deviceScopeFilter(scope) as FilterQuery<Device>];
    if (query.communityId !== undefined) {
      const community = await findFilterUnit(em, query.communityId, 'communityId', OrgLevel.Community);
      await assertFilterVisible(em, scope, community, community.id, 'communityId');
      and.push({ community: community.id });
    }
    if (query.compoundId !== undefined) {
      const compound = await findFilterCompound(em, scope, query.compoundId);
      and.push({ compound: compound.id });
    }
    if (query.gridId !== undefined) {
      const grid = await findFilterUnit(em, query.gridId, 'gridId', OrgLevel.Grid);
      await assertFilterVisible(em, scope, grid, grid.parent?.id, 'gridId');
      and.push({ grid: grid.id });
    }
    if (query.type !== undefined) and.push({ type: checkDeviceType(query.type) });
    if (query.enabled !== undefined) and.push({ enabled: query.enabled });
    if (query.q !== undefined && query.q.trim().length > 0) {
      const pattern = containsPattern(query.q);
      // lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not; the same answer on both.
      and.push({
        $or: ['code', 'name', 'location', 'serial_number'].map((column) => ({ [raw((alias) => `lower(${alias}.${column})`)]: { $like: pattern } })),
      } as FilterQuery<Device>);
    }
    const [items, total] = await em.findAndCount(
      Device,
      { $and: and },
      { populate: DEVICE_POPULATE, orderBy: { code: 'asc' }, limit, offset },
    );
    return { items, total, limit, offset };
  }
}

export function duplicateCode(code: string): DomainError {
  return DomainError.conflict(`a device with code ${code} already exists`, 'code');
}

/** A unique-constraint race (the pre-check passed, a concurrent insert won) is the same 409. */
export async function flushOrConflict(em: EntityManager, code: string): Promise<void> {
  try {
    await em.flush();
  } catch (error: unknown) {
    if (error instanceof UniqueConstraintViolationException) {
      const conflict = duplicateCode(code);
      throw new DomainError('conflict', conflict.message, conflict.details, { cause: error });
    }
    throw error;
  }
}

function currentPlacement(device: Device): Placement {
  return { community: device.community, compound: device.compound, building: device.building, grid: device.grid };
}

async function findFilterUnit(em: EntityManager, id: string, field: string, level: OrgLevel): Promise<OrgUnit> {
  if (!isUuid(id)) throw DomainError.validation(`${field} must be a UUID`, field);
  const unit = await em.findOne(OrgUnit, { id });
  if (!unit) throw DomainError.notFound(level, id, field);
  if (unit.level !== level) throw DomainError.validation(`${id} is a ${unit.level}, not a ${level}`, field);
  return unit;
}

async function findFilterCompound(em: EntityManager, scope: Scope, id: string): Promise<Compound> {
  if (!isUuid(id)) throw DomainError.validation('compoundId must be a UUID', 'compoundId');
  const compound = await em.findOne(Compound, { id }, { populate: ['community'] });
  if (!compound) throw DomainError.notFound('compound', id, 'compoundId');
  // A grid worker inside the compound's community may filter by it; the scope filter still applies.
  if (!compoundInScope(scope, compound) && !unitIsAncestorOfScope(scope, compound.community)) {
    throw DomainError.forbidden(`compound ${compound.code} is outside your scope`);
  }
  return compound;
}

/**
 * An explicit filter outside the scope is refused rather than answered with an empty page. A
 * unit is inside when the scope holds it, lies under it, or holds a compound of its community.
 */
async function assertFilterVisible(em: EntityManager, scope: Scope, unit: OrgUnit, communityId: string | undefined, field: string): Promise<void> {
  if (scope.all || unitInScope(scope, unit) || unitIsAncestorOfScope(scope, unit)) return;
  if (communityId && (scope.compoundIds.length > 0 || scope.companyIds.length > 0)) {
    const reachable = await em.count(Compound, { $and: [{ community: communityId }, compoundScopeFilter(scope)] } as FilterQuery<Compound>);
    if (reachable > 0) return;
  }
  throw DomainError.forbidden(`${field} ${unit.code} is outside your scope`);
}
