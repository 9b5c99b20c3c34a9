import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Scope } from '../org/scope';
import { hashToken, tokenMatches } from '../shared/secret-hash';
import { issueDeviceCredential } from './device-credentials';
import { isDeviceCode } from './device-fields';
import { findWritableDevice } from './device-access';
import { DeviceWithSecret } from './devices.service';
import { Device } from './entities/device.entity';

/** What the MQTT ingest needs about a connecting device. */
export interface AuthenticatedDevice {
  id: string;
  code: string;
  type: string;
  /** The community code: the {siteId} of the device's topics. */
  siteId: string;
  communityId: string;
  compoundId?: string;
  gridId?: string;
}

/** Compared against when the code is unknown, so a miss costs the same as a wrong secret. */
const NO_DEVICE_HASH = hashToken('no-such-device');

/** Per-device MQTT credentials: rotation by people in scope, checks by the broker's auth hook. */
@Injectable()
export class DeviceCredentialsService {
  constructor(private readonly em: EntityManager) {}

  /** A new secret, returned once; the old one stops working with this commit. */
  async rotate(scope: Scope, id: string): Promise<DeviceWithSecret> {
    const em = this.em.fork();
    const device = await findWritableDevice(em, scope, id);
    const credential = issueDeviceCredential();
    device.credentialHash = credential.hash;
    device.credentialIssuedAt = new Date();
    await em.flush();
    return { device, secret: credential.secret };
  }

  /**
   * The device when `code` names an enabled device and `secret` is its current credential, else
   * null. Runs on every MQTT connect, so it is one query on the unique code, joined to the
   * community for the site id.
   */
  async authenticate(code: string, secret: string): Promise<AuthenticatedDevice | null> {
    if (!isDeviceCode(code) || secret.length === 0 || secret.length > 200) return null;
    const device = await this.em.fork().findOne(Device, { code, enabled: true }, { populate: ['community'] });
    const matches = tokenMatches(secret, device?.credentialHash ?? NO_DEVICE_HASH);
    if (!device || !matches) return null;
    return {
      id: device.id,
      code: device.code,
      type: device.type,
      siteId: device.community.code,
      communityId: device.community.id,
      compoundId: device.compound?.id,
      gridId: device.grid?.id,
    };
  }
}
