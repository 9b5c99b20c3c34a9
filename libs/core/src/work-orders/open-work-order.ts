import { AlertSeverity } from '../devices/device-type';
import { WorkOrderSource } from './work-order-states';

/**
 * Everything that opens a work order goes through WorkOrdersService.open: device alerts (via
 * routing), one-window desk requests, patrol reports, appointment visits and joint-meeting
 * action items. With an `openKey` that an open order already holds, the new report attaches to
 * that order (its history records it) instead of opening a second one.
 */
export interface OpenWorkOrderInput {
  source: WorkOrderSource;
  /** Routing and SLA category: "safety", "facility", "desk", or a meeting/desk category. */
  category: string;
  type: string;
  severity: AlertSeverity;
  title: string;
  description?: string;
  communityId: string;
  compoundId?: string;
  gridId?: string;
  deviceId?: string;
  alertId?: string;
  openKey?: string;
  /** Who gets it. "auto": the routing policy decides (and records why). */
  route: 'auto' | { gridWorkerId?: string; companyId?: string; desk?: boolean; reason: string };
  assigneeAccountId?: string;
  /** 首问负责: the desk worker who took the request owns it until it is closed. */
  ownerAccountId?: string;
  reporterAccountId?: string;
  documentsComplete?: boolean;
  /** Already pseudonymised resident contact. */
  residentRef?: string;
  scheduledAt?: Date;
  meetingDecisionId?: string;
  ownerPartyId?: string;
  /** A due date set by a person (an action item's): overrides the SLA's resolve deadline. */
  resolveDueAt?: Date;
}

export interface OpenWorkOrderResult {
  workOrderId: string;
  /** True when an open order with the same openKey took it instead. */
  attached: boolean;
}
