import { Principal } from '../identity/principal';
import { AuditActorKind } from './entities/audit-entry.entity';

/** Who acts, as the audit log records it. */
export interface Actor {
  kind: AuditActorKind;
  id?: string;
  name?: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', name: 'system' };

export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind === 'api_key' ? 'api_key' : 'account', id: principal.id, name: principal.name };
}

export function deviceActor(deviceId: string, deviceCode: string): Actor {
  return { kind: 'device', id: deviceId, name: deviceCode };
}
