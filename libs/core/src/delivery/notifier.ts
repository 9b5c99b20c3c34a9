import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DATABASE_SETTINGS, DatabaseSettings, driverOf } from '@sc/database';
import { addJob, JOBS } from '@sc/messaging';
import { newId } from '../shared/ids';
import { entityInsertStatements } from '../shared/insert-rows';
import { PlannedWrites } from '../shared/planned-writes';
import { ReferenceCache } from '../shared/reference-cache';
import { Outbox } from '../outbox/outbox';
import { Dialect } from '../telemetry/sql';
import { DirectDeliveries } from './direct-deliveries';
import { Delivery, DeliveryEvent } from './entities/delivery.entity';
import { DeliveryOwnerKind, DeliveryTarget } from './entities/delivery-target.entity';

/** Whose targets receive a notification. */
export interface Recipient {
  kind: DeliveryOwnerKind;
  id: string;
}

export interface Notification {
  subjectType: 'work_order' | 'meeting';
  subjectId: string;
  event: DeliveryEvent;
  /** Tells apart repeated notifications of one event: the level of an escalation, the number of a reminder. */
  discriminator?: string;
  /** The message body (channel formatting happens at sending). No personal data. */
  payload: Record<string, unknown>;
  recipients: readonly Recipient[];
}

export interface NotifyResult {
  /** Deliveries stored now (one per enabled target of every recipient, minus those already stored). */
  deliveryIds: string[];
  /** Recipients without any enabled target: the caller records it (nobody was told). */
  unreachable: Recipient[];
}

/**
 * Decides deliveries inside the caller's transaction: one row per (notification, target),
 * unique on its dedup key, and one outbox job each. The worker's delivery processor sends them.
 */
@Injectable()
export class Notifier {
  private readonly dialect: Dialect;

  constructor(
    private readonly outbox: Outbox,
    private readonly reference: ReferenceCache,
    @Inject(DATABASE_SETTINGS) settings: DatabaseSettings,
  ) {
    this.dialect = driverOf(settings);
  }

  async notify(em: EntityManager, notification: Notification): Promise<NotifyResult> {
    return (await this.notifyMany(em, [notification]))[0];
  }

  /**
   * notify() for several notifications with one query for targets, one for existing rows and one
   * insert. `newSubjects`: the subjects were created in the caller's transaction, so no earlier
   * deliveries can exist and the lookup of existing rows is skipped. `direct`: the caller's
   * process sends the new deliveries itself after the commit; their outbox jobs are held for it.
   * `writes`: the rows are added to the caller's writes (sent with its others) instead of written now.
   */
  async notifyMany(
    em: EntityManager,
    notifications: readonly Notification[],
    options: { newSubjects?: boolean; direct?: DirectDeliveries; writes?: PlannedWrites } = {},
  ): Promise<NotifyResult[]> {
    const recipientsOf = notifications.map((n) => uniqueRecipients(n.recipients));
    const everyone = uniqueRecipients(recipientsOf.flat());
    if (everyone.length === 0) return notifications.map(() => ({ deliveryIds: [], unreachable: [] }));
    const targetIds = await this.reference.get<readonly string[]>('delivery_targets', everyone.map(recipientKey), async (keys) => {
      const wanted = everyone.filter((r) => keys.includes(recipientKey(r)));
      const rows = await em.find(DeliveryTarget, { enabled: true, $or: wanted.map((r) => ({ ownerKind: r.kind, ownerId: r.id })) }, { fields: ['id', 'ownerKind', 'ownerId'] });
      return new Map(wanted.map((r) => [recipientKey(r), rows.filter((t) => t.ownerKind === r.kind && t.ownerId === r.id).map((t) => t.id)]));
    });
    const targetsOf = (r: Recipient) => targetIds.get(recipientKey(r)) ?? [];
    const wanted = notifications.map((notification, i) => {
      const base = [notification.subjectType, notification.subjectId, notification.event, notification.discriminator ?? '-'].join('/');
      return recipientsOf[i].flatMap(targetsOf).map((targetId) => ({ notification, targetId, dedupKey: `${base}/${targetId}` }));
    });
    const keys = wanted.flat().map((w) => w.dedupKey);
    // Subjects created in this transaction (new work orders) cannot have deliveries yet.
    const known = new Set(
      keys.length > 0 && !options.newSubjects ? (await em.find(Delivery, { dedupKey: { $in: keys } }, { fields: ['dedupKey'] })).map((d) => d.dedupKey) : [],
    );
    const now = new Date();
    const rowsOf = wanted.map((list) =>
      list
        .filter((w) => {
          if (known.has(w.dedupKey)) return false;
          known.add(w.dedupKey); // a key repeated within this call is stored once
          return true;
        })
        .map((w) => ({
          id: newId(),
          dedupKey: w.dedupKey,
          targetId: w.targetId,
          subjectType: w.notification.subjectType,
          subjectId: w.notification.subjectId,
          event: w.notification.event,
          payload: w.notification.payload,
          status: 'pending' as const,
          attempts: 0,
          lastError: null,
          lastStatus: null,
          deliveredAt: null,
          createdAt: now,
          updatedAt: now,
        })),
    );
    const rows = rowsOf.flat();
    if (rows.length > 0) {
      const writes = options.writes ?? new PlannedWrites();
      writes.add(entityInsertStatements(em, this.dialect, Delivery, rows));
      const jobs = rows.map((row) => addJob(JOBS.deliver, { deliveryId: row.id }));
      this.outbox.plan(em, writes, jobs, { holdUntil: options.direct?.holdUntil }, (seqs) => options.direct?.add(rows, seqs));
      if (!options.writes) await writes.run(em, this.dialect);
    }
    return rowsOf.map((list, i) => ({
      deliveryIds: list.map((r) => r.id),
      unreachable: recipientsOf[i].filter((r) => targetsOf(r).length === 0),
    }));
  }
}

function recipientKey(r: Recipient): string {
  return `${r.kind}/${r.id}`;
}

function uniqueRecipients(recipients: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => {
    const key = recipientKey(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
