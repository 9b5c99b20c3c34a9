import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { AuditLog } from '../audit/audit-log';
import { SYSTEM_ACTOR } from '../audit/actor';
import { requestFor, rejectionOf } from './channels/channels';
import { DeliveryAttemptError } from './delivery-errors';
import { DeliveryRateLimiter, DeliveryTransport, TransportError } from './delivery-ports';
import { DirectDeliveries, HeldDelivery } from './direct-deliveries';
import { Delivery } from './entities/delivery.entity';
import { SecretBox } from './secret-box';
import { Outbox } from '../outbox/outbox';
import { Coalescer } from '../shared/coalescer';
import { settlesWithin } from '../shared/settles-within';
import { DeliveredMark, DeliveryRow, loadSendRows, loadTargetRows, markDeliveredRows, SendRows, TargetRow } from './delivery-batches';

export type SendOutcome =
  | { kind: 'delivered'; attempts: number; status: number }
  /** Nothing to do: the row is gone, already delivered, or dead (a redrive resets it to pending first). */
  | { kind: 'skipped'; reason: 'missing' | 'delivered' | 'dead' }
  /** The target's allowance is used up: try again at `retryAt` without counting an attempt. */
  | { kind: 'rate_limited'; retryAt: Date };

type AttemptOutcome = Exclude<SendOutcome, { kind: 'delivered' }> | { kind: 'sent'; mark: DeliveredMark };

const ERROR_LIMIT = 500;
/** Ids in one `IN (...)`: large batches under load, far below the drivers' parameter limits. */
const BATCH_MAX = 100;
/** Two loads at once: one batch fills while the other's queries run, and the pool keeps connections for the rest. */
const LOADS_IN_FLIGHT = 2;
/** One marking transaction at a time: the marks that arrive meanwhile make the next, larger batch (they lock rows in id order, so more would not deadlock either). */
const MARKS_IN_FLIGHT = 1;
/** How long shutdown waits for direct sends still running (their held rows are relayed later otherwise). */
const DIRECT_DRAIN_MS = 10_000;

/**
 * Sends one stored delivery (the worker's delivery.send job). Idempotent: a delivered row is a
 * no-op, and receivers de-duplicate on the delivery id if a crash repeats a send. A failed
 * attempt is recorded on the row and thrown as a DeliveryAttemptError for the queue to retry.
 * The database work of concurrent sends is done together: one load of their rows and targets,
 * one transaction marking the delivered ones.
 */
@Injectable()
export class DeliverySender implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliverySender.name);
  private readonly directRuns = new Set<Promise<void>>();
  /** A fresh fork per run: the entities of a batch are never those of another. */
  private readonly rows = new Coalescer<string, SendRows>((ids) => loadSendRows(this.em.fork(), ids), { maxBatch: BATCH_MAX, maxInFlight: LOADS_IN_FLIGHT });
  private readonly delivered = new Coalescer<DeliveredMark, boolean>((marks) => markDeliveredRows(this.em.fork(), this.audit, marks), {
    maxBatch: BATCH_MAX,
    maxInFlight: MARKS_IN_FLIGHT,
  });

  constructor(
    private readonly em: EntityManager,
    private readonly transport: DeliveryTransport,
    private readonly rateLimiter: DeliveryRateLimiter,
    private readonly secrets: SecretBox,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Sends the deliveries a committed transaction held for this process (DirectDeliveries), in
   * the background: the caller does not wait for the receivers. Each gets the same attempt as a
   * job (checks, rate limit, signature); then the outbox rows of the sent ones are deleted and the rest
   * (rate limited, failed, the attempt recorded on the row) released to the deliveries queue,
   * which retries them with backoff. Never throws: a row that could not be settled is relayed
   * when its hold ends, and its job finds it delivered or sends it.
   */
  sendDirect(direct: DirectDeliveries): void {
    if (direct.held.length === 0) return;
    const run = this.runDirect(direct.held);
    this.directRuns.add(run);
    void run.finally(() => this.directRuns.delete(run));
  }

  /** Direct sends still running finish (within a bound) before the transport closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.directRuns.size > 0) await settlesWithin(Promise.allSettled([...this.directRuns]), DIRECT_DRAIN_MS);
  }

  /**
   * The sends of one direct run; then one transaction marks the delivered rows and deletes their
   * outbox jobs (and those of rows with nothing left to send) and releases the rest.
   */
  private async runDirect(held: readonly HeldDelivery[]): Promise<void> {
    const marks: DeliveredMark[] = [];
    const done: string[] = [];
    const release: string[] = [];
    // The rows are as the committed transaction wrote them; only their targets are read (one query).
    let targets: Map<string, TargetRow> | undefined;
    try {
      targets = await loadTargetRows(this.em.fork(), held.map(({ row }) => row.targetId));
    } catch {
      // Nothing sent: every job goes to the queue, which sends it with its usual checks.
    }
    await Promise.all(
      held.map(async ({ row, seq }) => {
        if (!targets) {
          release.push(seq);
          return;
        }
        try {
          const attempt = await this.attemptWith({ delivery: row, target: targets.get(row.targetId) });
          if (attempt.kind === 'sent') marks.push(attempt.mark);
          (attempt.kind === 'rate_limited' ? release : done).push(seq);
        } catch {
          // Recorded on the row by attempt(); the queue retries it.
          release.push(seq);
        }
      }),
    );
    try {
      if (marks.length > 0) await markDeliveredRows(this.em.fork(), this.audit, marks, this.outbox.settleStatements({ done, release }));
      else await this.outbox.settle(this.em.fork(), { done, release });
      if (release.length > 0) this.outbox.committed();
    } catch (error: unknown) {
      this.logger.warn({ err: error, sent: marks.length, release: release.length }, 'direct deliveries sent; their rows are marked and their jobs relayed when the hold ends');
    }
  }

  async send(deliveryId: string, options: { signal?: AbortSignal } = {}): Promise<SendOutcome> {
    const attempt = await this.attempt(deliveryId, options);
    if (attempt.kind !== 'sent') return attempt;
    // false when a concurrent send (a crash repeat) got there first: that one wrote the audit entry.
    await this.delivered.load(attempt.mark);
    return { kind: 'delivered', attempts: attempt.mark.attempts, status: attempt.mark.status };
  }

  /** One try: the receiver accepted it (the row still to be marked), or nothing to do, or rate limited; throws when it failed. */
  private async attempt(deliveryId: string, options: { signal?: AbortSignal } = {}): Promise<AttemptOutcome> {
    return this.attemptWith(await this.rows.load(deliveryId), options);
  }

  private async attemptWith({ delivery, target }: SendRows, options: { signal?: AbortSignal } = {}): Promise<AttemptOutcome> {
    if (!delivery) return { kind: 'skipped', reason: 'missing' };
    if (delivery.status !== 'pending') return { kind: 'skipped', reason: delivery.status };
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
      throw await this.failed(delivery, attempt, `the secret of target ${target.name} cannot be decrypted (was PSEUDONYM_KEY changed?)`, undefined, true, error);
    }
    const request = requestFor(target.channel, { url: target.url, secret, deliveryId: delivery.id, event: delivery.event, payload: delivery.payload, now: new Date() });

    let response;
    try {
      response = await this.transport.post(request, { timeoutMs: target.timeoutMs, signal: options.signal });
    } catch (error: unknown) {
      const reason = error instanceof TransportError ? `${error.message} (${host})` : `request to ${host} failed`;
      throw await this.failed(delivery, attempt, reason, undefined, false, error);
    }
    const rejection = rejectionOf(target.channel, response, host);
    if (rejection !== undefined) throw await this.failed(delivery, attempt, rejection, response.status, false);

    const now = new Date();
    const mark: DeliveredMark = {
      deliveryId: delivery.id,
      attempts: attempt,
      status: response.status,
      at: now,
      audit: {
        subjectType: 'delivery',
        subjectId: delivery.id,
        action: 'delivered',
        actor: SYSTEM_ACTOR,
        fromState: 'pending',
        toState: 'delivered',
        at: now,
        details: { target: target.id, channel: target.channel, attempts: attempt, subjectType: delivery.subjectType, subjectId: delivery.subjectId, event: delivery.event },
      },
    };
    return { kind: 'sent', mark };
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
    delivery: Readonly<DeliveryRow>,
    attempt: number,
    reason: string,
    status: number | undefined,
    permanent: boolean,
    cause?: unknown,
  ): Promise<DeliveryAttemptError> {
    await this.em.fork().nativeUpdate(
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
