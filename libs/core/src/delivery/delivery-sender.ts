import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { AuditLog } from '../audit/audit-log';
import { SYSTEM_ACTOR } from '../audit/actor';
import { requestFor, rejectionOf } from './channels/channels';
import { DeliveryAttemptError } from './delivery-errors';
import { DeliveryRateLimiter, DeliveryTransport, TransportError } from './delivery-ports';
import { Delivery } from './entities/delivery.entity';
import { DeliveryTarget } from './entities/delivery-target.entity';
import { SecretBox } from './secret-box';

export type SendOutcome =
  | { kind: 'delivered'; attempts: number; status: number }
  /** Nothing to do: the row is gone, already delivered, or dead (a redrive resets it to pending first). */
  | { kind: 'skipped'; reason: 'missing' | 'delivered' | 'dead' }
  /** The target's allowance is used up: try again at `retryAt` without counting an attempt. */
  | { kind: 'rate_limited'; retryAt: Date };

const ERROR_LIMIT = 500;

/**
 * Sends one stored delivery (the worker's delivery.send job). Idempotent: a delivered row is a
 * no-op, and receivers de-duplicate on the delivery id if a crash repeats a send. A failed
 * attempt is recorded on the row and thrown as a DeliveryAttemptError for the queue to retry.
 */
@Injectable()
export class DeliverySender {
  private readonly logger = new Logger(DeliverySender.name);

  constructor(
    private readonly em: EntityManager,
    private readonly transport: DeliveryTransport,
    private readonly rateLimiter: DeliveryRateLimiter,
    private readonly secrets: SecretBox,
    private readonly audit: AuditLog,
  ) {}

  async send(deliveryId: string, options: { signal?: AbortSignal } = {}): Promise<SendOutcome> {
    const em = this.em.fork();
    const delivery = await em.findOne(Delivery, { id: deliveryId });
    if (!delivery) return { kind: 'skipped', reason: 'missing' };
    if (delivery.status !== 'pending') return { kind: 'skipped', reason: delivery.status };
    const target = await em.findOne(DeliveryTarget, { id: delivery.targetId });
    if (!target) throw new DeliveryAttemptError(`target ${delivery.targetId} was deleted`, true);
    if (!target.enabled) throw new DeliveryAttemptError(`target ${target.name} is disabled`, true);

    const slot = await this.rateLimiter.take(target.id, target.ratePerMinute);
    if (!slot.allowed) return { kind: 'rate_limited', retryAt: slot.retryAt };

    const attempt = delivery.attempts + 1;
    const host = hostOf(target.url);
    let secret: string | undefined;
    try {
      secret = target.secretCipher ? this.secrets.open(target.secretCipher) : undefined;
    } catch (error: unknown) {
      throw await this.failed(em, delivery, attempt, `the secret of target ${target.name} cannot be decrypted (was PSEUDONYM_KEY changed?)`, undefined, true, error);
    }
    const request = requestFor(target.channel, { url: target.url, secret, deliveryId: delivery.id, event: delivery.event, payload: delivery.payload, now: new Date() });

    let response;
    try {
      response = await this.transport.post(request, { timeoutMs: target.timeoutMs, signal: options.signal });
    } catch (error: unknown) {
      const reason = error instanceof TransportError ? `${error.message} (${host})` : `request to ${host} failed`;
      throw await this.failed(em, delivery, attempt, reason, undefined, false, error);
    }
    const rejection = rejectionOf(target.channel, response, host);
    if (rejection !== undefined) throw await this.failed(em, delivery, attempt, rejection, response.status, false);

    const now = new Date();
    await em.transactional(async (tx) => {
      const updated = await tx.nativeUpdate(
        Delivery,
        { id: delivery.id, status: 'pending' },
        { status: 'delivered', attempts: attempt, deliveredAt: now, lastStatus: response.status, lastError: null, updatedAt: now },
      );
      if (updated === 0) return; // a concurrent send (a crash repeat) got there first
      await this.audit.insert(tx, [
        {
          subjectType: 'delivery',
          subjectId: delivery.id,
          action: 'delivered',
          actor: SYSTEM_ACTOR,
          fromState: 'pending',
          toState: 'delivered',
          at: now,
          details: { target: target.id, channel: target.channel, attempts: attempt, subjectType: delivery.subjectType, subjectId: delivery.subjectId, event: delivery.event },
        },
      ]);
    });
    return { kind: 'delivered', attempts: attempt, status: response.status };
  }

  /**
   * The delivery used up its tries (or failed permanently): it is dead, with its last error,
   * until a redrive. A no-op for a row that is not pending.
   */
  async markDead(deliveryId: string, reason: string): Promise<void> {
    const now = new Date();
    await this.em.fork().transactional(async (tx) => {
      const updated = await tx.nativeUpdate(Delivery, { id: deliveryId, status: 'pending' }, { status: 'dead', lastError: clip(reason), updatedAt: now });
      if (updated === 0) return;
      await this.audit.insert(tx, [
        { subjectType: 'delivery', subjectId: deliveryId, action: 'dead', actor: SYSTEM_ACTOR, fromState: 'pending', toState: 'dead', text: clip(reason), at: now },
      ]);
    });
    this.logger.warn({ deliveryId }, 'delivery is dead after its last attempt');
  }

  private async failed(
    em: EntityManager,
    delivery: Delivery,
    attempt: number,
    reason: string,
    status: number | undefined,
    permanent: boolean,
    cause?: unknown,
  ): Promise<DeliveryAttemptError> {
    await em.nativeUpdate(
      Delivery,
      { id: delivery.id, status: 'pending' },
      { attempts: attempt, lastError: clip(reason), lastStatus: status ?? null, updatedAt: new Date() },
    );
    return new DeliveryAttemptError(reason, permanent, { cause });
  }
}

/** Host and port only: target URLs carry robot keys and tokens in their query. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

function clip(text: string): string {
  return text.length <= ERROR_LIMIT ? text : `${text.slice(0, ERROR_LIMIT - 1)}…`;
}
