import { EntityManager } from '@mikro-orm/knex';
import { Scope } from '../org/scope';
import { DomainError } from '../shared/domain-error';
import { isUuid } from './device-fields';
import { Placement } from './device-placement';
import { deviceVisible, deviceWritable } from './device-scope';
import { Device } from './entities/device.entity';

/** Loading devices for a caller: outside the scope a device does not exist; read-only reach cannot write. */

/** Relations a device is returned with (codes for the views, paths and companies for scope). */
export const DEVICE_POPULATE = ['community', 'compound', 'building', 'grid'] as const;

/** Loads a device with its placement; outside the scope it does not exist. */
export async function findVisibleDevice(em: EntityManager, scope: Scope, id: string): Promise<Device> {
  const device = isUuid(id)
    ? await em.findOne(Device, { id }, { populate: [...DEVICE_POPULATE, 'compound.community', 'building.compound'] })
    : null;
  if (!device || !deviceVisible(scope, device)) throw DomainError.notFound('device', id);
  return device;
}

/** Read-only reach (a grid worker's grid) is not enough to change a device. */
export async function findWritableDevice(em: EntityManager, scope: Scope, id: string): Promise<Device> {
  const device = await findVisibleDevice(em, scope, id);
  if (!deviceWritable(scope, device)) throw DomainError.forbidden(`device ${device.code} is outside your scope (read-only)`);
  return device;
}

export function assertWritable(scope: Scope, placement: Placement): void {
  if (!deviceWritable(scope, placement)) {
    const where = placement.compound ? `compound ${placement.compound.code}` : `community ${placement.community.code}`;
    throw DomainError.forbidden(`${where} is outside your scope`);
  }
}
