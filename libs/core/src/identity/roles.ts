import { OrgLevel } from '../org/org-level';

/** Roles a person or system acts with (DESIGN.md section 7). */
export enum Role {
  Admin = 'admin',
  CityOfficer = 'city_officer',
  DistrictOfficer = 'district_officer',
  StreetOfficer = 'street_officer',
  CommunityWorker = 'community_worker',
  GridWorker = 'grid_worker',
  PropertyStaff = 'property_staff',
  OwnersCommittee = 'owners_committee',
  ResidentsCommittee = 'residents_committee',
  /** A property company's own system, through an API key. */
  CompanySystem = 'company_system',
}

export const ROLE_LABELS: Record<Role, { en: string; zh: string }> = {
  [Role.Admin]: { en: 'Administrator', zh: '系统管理员' },
  [Role.CityOfficer]: { en: 'City officer', zh: '市级人员' },
  [Role.DistrictOfficer]: { en: 'District officer', zh: '区/县级人员' },
  [Role.StreetOfficer]: { en: 'Street officer', zh: '街道/乡镇人员' },
  [Role.CommunityWorker]: { en: 'Community worker', zh: '社区工作者' },
  [Role.GridWorker]: { en: 'Grid worker', zh: '网格员' },
  [Role.PropertyStaff]: { en: 'Property-company staff', zh: '物业人员' },
  [Role.OwnersCommittee]: { en: "Owners' committee member", zh: '业委会成员' },
  [Role.ResidentsCommittee]: { en: "Residents' committee member", zh: '居委会成员' },
  [Role.CompanySystem]: { en: 'Property-company system', zh: '物业系统接入' },
};

/** What a role is anchored to, and for org roles the level of the anchor unit. */
export type RoleAnchor =
  | { kind: 'system' }
  | { kind: 'unit'; level: OrgLevel }
  | { kind: 'company' }
  | { kind: 'compound' };

export const ROLE_ANCHORS: Record<Role, RoleAnchor> = {
  [Role.Admin]: { kind: 'system' },
  [Role.CityOfficer]: { kind: 'unit', level: OrgLevel.City },
  [Role.DistrictOfficer]: { kind: 'unit', level: OrgLevel.District },
  [Role.StreetOfficer]: { kind: 'unit', level: OrgLevel.Street },
  [Role.CommunityWorker]: { kind: 'unit', level: OrgLevel.Community },
  [Role.GridWorker]: { kind: 'unit', level: OrgLevel.Grid },
  [Role.PropertyStaff]: { kind: 'company' },
  [Role.OwnersCommittee]: { kind: 'compound' },
  [Role.ResidentsCommittee]: { kind: 'compound' },
  [Role.CompanySystem]: { kind: 'company' },
};

/** Permissions checked by route guards; the scope check on the target comes on top. */
export enum Permission {
  OrgRead = 'org:read',
  OrgWrite = 'org:write',
  DevicesRead = 'devices:read',
  DevicesWrite = 'devices:write',
  AccountsRead = 'accounts:read',
  AccountsWrite = 'accounts:write',
  ApiKeysWrite = 'api-keys:write',
  /** The ingest quarantine: why device messages were rejected (officers diagnose devices). */
  IngestRead = 'ingest:read',
  AlertsRead = 'alerts:read',
  /** Acknowledge and clear alerts. */
  AlertsWrite = 'alerts:write',
  /** Change alert rules, care-watch registrations, routing and SLA policies in scope. */
  RulesWrite = 'rules:write',
  WorkOrdersRead = 'work-orders:read',
  /** Work one's own orders: accept, progress, notes and evidence, resolve. */
  WorkOrdersWork = 'work-orders:work',
  /** Supervise: assign, reassign, close with a reason, reopen. */
  WorkOrdersDispatch = 'work-orders:dispatch',
  /** Verify (督查) a resolved order. */
  WorkOrdersVerify = 'work-orders:verify',
  /** Register resident requests at the one-window desk, patrol reports, appointment visits. */
  WorkOrdersReport = 'work-orders:report',
  /** Per-unit SLA statistics. */
  StatsRead = 'stats:read',
  /** Delivery targets (webhooks, robots) and deliveries. */
  DeliveryWrite = 'delivery:write',
  /** Dead-letter queue and redrive. */
  QueuesAdmin = 'queues:admin',
  MeetingsRead = 'meetings:read',
  /** Convene and run joint meetings: schedule, agenda, attendance, close. */
  MeetingsConvene = 'meetings:convene',
  /** Take part for one's party: positions, motions, action-item progress. */
  MeetingsParticipate = 'meetings:participate',
}

const READ = [Permission.OrgRead, Permission.DevicesRead];
const WORK = [Permission.AlertsRead, Permission.AlertsWrite, Permission.WorkOrdersRead, Permission.WorkOrdersWork];
const SUPERVISE = [...WORK, Permission.RulesWrite, Permission.WorkOrdersDispatch, Permission.WorkOrdersVerify, Permission.WorkOrdersReport, Permission.StatsRead, Permission.DeliveryWrite];
const OFFICER = [
  ...READ,
  Permission.OrgWrite,
  Permission.DevicesWrite,
  Permission.AccountsRead,
  Permission.AccountsWrite,
  Permission.IngestRead,
  ...SUPERVISE,
  Permission.MeetingsRead,
];
/** Members of the joint meeting's parties read the board, take part, and verify orders of their compound. */
const PARTY = [...READ, Permission.AlertsRead, Permission.WorkOrdersRead, Permission.WorkOrdersVerify, Permission.StatsRead, Permission.MeetingsRead, Permission.MeetingsParticipate];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.Admin]: Object.values(Permission),
  [Role.CityOfficer]: [...OFFICER, Permission.ApiKeysWrite, Permission.QueuesAdmin],
  [Role.DistrictOfficer]: [...OFFICER, Permission.ApiKeysWrite],
  [Role.StreetOfficer]: OFFICER,
  // Community workers staff the one-window desk and, for the Party organisation and the residents' committee, convene the joint meeting.
  [Role.CommunityWorker]: [...OFFICER, Permission.MeetingsConvene, Permission.MeetingsParticipate],
  [Role.GridWorker]: [...READ, ...WORK, Permission.WorkOrdersReport],
  [Role.PropertyStaff]: [...READ, Permission.DevicesWrite, ...WORK, Permission.DeliveryWrite, Permission.MeetingsRead, Permission.MeetingsParticipate],
  [Role.OwnersCommittee]: PARTY,
  [Role.ResidentsCommittee]: [...PARTY, Permission.WorkOrdersReport],
  [Role.CompanySystem]: [...READ, ...WORK],
};
