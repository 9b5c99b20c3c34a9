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
import { AuditEntry } from './audit/entities/audit-entry.entity';
import { OutboxEntry } from './outbox/entities/outbox-entry.entity';
import { AlertRule } from './alerts/entities/alert-rule.entity';
import { Alert } from './alerts/entities/alert.entity';
import { RuleState } from './alerts/entities/rule-state.entity';
import { CareSubject, CareWatchDevice } from './alerts/entities/care-subject.entity';
import { WorkOrder } from './work-orders/entities/work-order.entity';
import { SlaPolicy } from './work-orders/entities/sla-policy.entity';
import { RoutingPolicy } from './work-orders/entities/routing-policy.entity';
import { DeliveryTarget } from './delivery/entities/delivery-target.entity';
import { Delivery } from './delivery/entities/delivery.entity';
import { Meeting } from './meetings/entities/meeting.entity';
import { MeetingParty } from './meetings/entities/meeting-party.entity';
import { MeetingAttendance } from './meetings/entities/meeting-attendance.entity';
import { AgendaItem, AgendaItemOrder } from './meetings/entities/agenda-item.entity';
import { Decision, Position } from './meetings/entities/decision.entity';
import { MeetingMinutes } from './meetings/entities/meeting-minutes.entity';

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
  AuditEntry,
  OutboxEntry,
  AlertRule,
  Alert,
  RuleState,
  CareSubject,
  CareWatchDevice,
  WorkOrder,
  SlaPolicy,
  RoutingPolicy,
  DeliveryTarget,
  Delivery,
  Meeting,
  MeetingParty,
  MeetingAttendance,
  AgendaItem,
  AgendaItemOrder,
  Decision,
  Position,
  MeetingMinutes,
];
