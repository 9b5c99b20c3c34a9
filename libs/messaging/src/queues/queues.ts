/**
 * Queue names, job names, job payloads and job ids: the one place they are spelled
 * (CONVENTIONS.md rule 3). Every job id is deterministic, so a job that is added twice
 * (an outbox row relayed again after a crash, a timer re-armed) exists once.
 * BullMQ refuses ':' inside custom ids, hence the '.' separators.
 */
export const QUEUES = {
  /** A committed alert becomes a work order (or attaches to the open one). */
  alerts: 'alerts',
  /** SLA timers: escalation when a deadline passes, reminders until acceptance. */
  workOrders: 'work-orders',
  /** One HTTP delivery to one target (webhook, WeCom robot, DingTalk robot). */
  deliveries: 'deliveries',
  /** Joint-meeting reminders to the parties' representatives. */
  meetings: 'meetings',
  /** Jobs that used up their retries; visible and redrivable through the API. */
  deadLetter: 'dead-letter',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  routeAlert: 'alert.route',
  escalate: 'work-order.escalate',
  remind: 'work-order.remind',
  deliver: 'delivery.send',
  meetingRemind: 'meeting.remind',
  deadLetter: 'dead-letter',
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS];

/** alerts / alert.route: route a newly raised alert to a work order. */
export interface RouteAlertJob {
  alertId: string;
}

/** Which deadline an escalation timer watches. */
export type SlaDeadline = 'accept' | 'resolve';

/** work-orders / work-order.escalate: the deadline of `level` passed unless the order moved on. */
export interface EscalateJob {
  workOrderId: string;
  /** The level the order was at when the timer was armed; a timer for an older level is a no-op. */
  level: string;
  deadline: SlaDeadline;
}

/** work-orders / work-order.remind: the n-th reminder of an order not yet accepted. */
export interface RemindJob {
  workOrderId: string;
  level: string;
  n: number;
}

/** deliveries / delivery.send: send one stored delivery row. */
export interface DeliverJob {
  deliveryId: string;
}

/** meetings / meeting.remind: remind the parties of a scheduled meeting (`lead` minutes before it). */
export interface MeetingRemindJob {
  meetingId: string;
  /** Minutes before the start this reminder is for (e.g. 1440, 60); a rescheduled meeting gets new ones. */
  lead: number;
  /** The meeting's start as armed (ISO); a reminder for an older start time is a no-op. */
  startsAt: string;
}

/** dead-letter / dead-letter: a job that failed its last attempt, kept with where it came from. */
export interface DeadLetterJob {
  queue: QueueName;
  name: JobName;
  jobId: string;
  data: unknown;
  failedReason: string;
  attemptsMade: number;
  failedAt: string;
}

export interface JobPayloads {
  [JOBS.routeAlert]: RouteAlertJob;
  [JOBS.escalate]: EscalateJob;
  [JOBS.remind]: RemindJob;
  [JOBS.deliver]: DeliverJob;
  [JOBS.meetingRemind]: MeetingRemindJob;
  [JOBS.deadLetter]: DeadLetterJob;
}

/** The queue each job name runs on. */
export const JOB_QUEUES: Record<JobName, QueueName> = {
  [JOBS.routeAlert]: QUEUES.alerts,
  [JOBS.escalate]: QUEUES.workOrders,
  [JOBS.remind]: QUEUES.workOrders,
  [JOBS.deliver]: QUEUES.deliveries,
  [JOBS.meetingRemind]: QUEUES.meetings,
  [JOBS.deadLetter]: QUEUES.deadLetter,
};

/** Deterministic job ids, built in one place. */
export const jobIds = {
  routeAlert: (j: RouteAlertJob): string => `route.${j.alertId}`,
  escalate: (j: EscalateJob): string => `escalate.${j.workOrderId}.${j.level}.${j.deadline}`,
  remind: (j: RemindJob): string => `remind.${j.workOrderId}.${j.level}.${j.n}`,
  deliver: (j: DeliverJob): string => `deliver.${j.deliveryId}`,
  meetingRemind: (j: MeetingRemindJob): string => `meeting.${j.meetingId}.${j.lead}.${Date.parse(j.startsAt)}`,
  /** A redriven job gets a new id so BullMQ does not mistake it for the failed one. */
  redrive: (jobId: string, attempt: number): string => `${jobId}.r${attempt}`,
};

/**
 * A job as the domain asks for it: written to the outbox in the transaction that decided it,
 * relayed to BullMQ after commit. `remove` cancels a pending timer (best effort: every handler
 * re-checks the state, so a stale timer is a no-op).
 */
export type JobIntent =
  | { op: 'add'; name: JobName; jobId: string; data: JobPayloads[JobName]; runAtMs?: number }
  | { op: 'remove'; name: JobName; jobId: string };

export function addJob<N extends Exclude<JobName, 'dead-letter'>>(name: N, data: JobPayloads[N], runAt?: Date): JobIntent {
  return { op: 'add', name, jobId: jobIdOf(name, data), data, runAtMs: runAt?.getTime() };
}

export function removeJob<N extends Exclude<JobName, 'dead-letter'>>(name: N, data: JobPayloads[N]): JobIntent {
  return { op: 'remove', name, jobId: jobIdOf(name, data) };
}

export function jobIdOf<N extends Exclude<JobName, 'dead-letter'>>(name: N, data: JobPayloads[N]): string {
  switch (name) {
    case JOBS.routeAlert:
      return jobIds.routeAlert(data as RouteAlertJob);
    case JOBS.escalate:
      return jobIds.escalate(data as EscalateJob);
    case JOBS.remind:
      return jobIds.remind(data as RemindJob);
    case JOBS.meetingRemind:
      return jobIds.meetingRemind(data as MeetingRemindJob);
    default:
      return jobIds.deliver(data as DeliverJob);
  }
}
