import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { addJob, JOBS } from '@sc/messaging';
import { newId } from '../shared/ids';
import { Outbox } from '../outbox/outbox';
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
  constructor(private readonly outbox: Outbox) {}

  async notify(em: EntityManager, notification: Notification): Promise<NotifyResult> {
    const recipients = uniqueRecipients(notification.recipients);
    if (recipients.length === 0) return { deliveryIds: [], unreachable: [] };
    const targets = await em.find(DeliveryTarget, {
      enabled: true,
      $or: recipients.map((r) => ({ ownerKind: r.kind, ownerId: r.id })),
    });
    const unreachable = recipients.filter((r) => !targets.some((t) => t.ownerKind === r.kind && t.ownerId === r.id));
    const base = [notification.subjectType, notification.subjectId, notification.event, notification.discriminator ?? '-'].join('/');
    const wanted = targets.map((t) => ({ target: t, dedupKey: `${base}/${t.id}` }));
    if (wanted.length === 0) return { deliveryIds: [], unreachable };
    const existing = await em.find(Delivery, { dedupKey: { $in: wanted.map((w) => w.dedupKey) } }, { fields: ['dedupKey'] });
    const known = new Set(existing.map((d) => d.dedupKey));
    const now = new Date();
    const rows = wanted
      .filter((w) => !known.has(w.dedupKey))
      .map((w) => ({
        id: newId(),
        dedupKey: w.dedupKey,
        targetId: w.target.id,
        subjectType: notification.subjectType,
        subjectId: notification.subjectId,
        event: notification.event,
        payload: notification.payload,
        status: 'pending' as const,
        attempts: 0,
        createdAt: now,
        updatedAt: now,
      }));
    if (rows.length > 0) {
      await em.insertMany(Delivery, rows);
      await this.outbox.enqueue(em, rows.map((row) => addJob(JOBS.deliver, { deliveryId: row.id })));
    }
    return { deliveryIds: rows.map((r) => r.id), unreachable };
  }
}

function uniqueRecipients(recipients: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => {
    const key = `${r.kind}/${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
