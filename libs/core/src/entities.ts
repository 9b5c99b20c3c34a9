import { EntityClass } from '@mikro-orm/core';
import { Building } from './org/entities/building.entity';
import { Compound } from './org/entities/compound.entity';
import { GridWorker } from './org/entities/grid-worker.entity';
import { OrgUnit } from './org/entities/org-unit.entity';
import { Party } from './org/entities/party.entity';
import { PartyMember } from './org/entities/party-member.entity';
import { PropertyCompany } from './org/entities/property-company.entity';
import { Account } from './identity/entities/account.entity';
import { ApiKey } from './identity/entities/api-key.entity';
import { RoleAssignment } from './identity/entities/role-assignment.entity';
import { Device } from './devices/entities/device.entity';
import { IngestRejection } from './telemetry/entities/ingest-rejection.entity';

/** Every entity of the domain, for the ORM set-up and the migration generator. */
export const ALL_ENTITIES: EntityClass<object>[] = [
  OrgUnit,
  PropertyCompany,
  Compound,
  Building,
  GridWorker,
  Party,
  PartyMember,
  Account,
  RoleAssignment,
  ApiKey,
  Device,
  IngestRejection,
];
