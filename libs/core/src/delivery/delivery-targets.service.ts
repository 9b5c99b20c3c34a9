import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { AuditLog } from '../audit/audit-log';
import { actorOf } from '../audit/actor';
import { Principal } from '../identity/principal';
import { isUuid } from '../org/org-errors';
import { DomainError } from '../shared/domain-error';
import { Page, PageQuery, pageWindow } from '../shared/paging';
import { DELIVERY_CHANNELS, DELIVERY_OWNER_KINDS } from './delivery-labels';
import { resolveOwner, targetScopeFilter, targetVisible } from './delivery-target-scope';
import { DeliveryChannel, DeliveryOwnerKind, DeliveryTarget } from './entities/delivery-target.entity';
import { generateWebhookSecret, SecretBox } from './secret-box';

export const TARGET_LIMITS = {
  name: 200,
  url: 2000,
  secretMin: 16,
  secretMax: 200,
  rate: { min: 1, max: 6000 },
  timeoutMs: { min: 100, max: 30_000 },
} as const;

export interface CreateTargetInput {
  ownerKind: DeliveryOwnerKind;
  ownerId: string;
  channel: DeliveryChannel;
  name: string;
  url: string;
  /** Webhook: generated when absent. DingTalk: the robot's "SEC…" secret when it signs. WeCom: none. */
  secret?: string;
  ratePerMinute?: number;
  timeoutMs?: number;
  enabled?: boolean;
}

export interface UpdateTargetInput {
  name?: string;
  url?: string;
  ratePerMinute?: number;
  timeoutMs?: number;
  enabled?: boolean;
}

export interface TargetListQuery extends PageQuery {
  ownerKind?: DeliveryOwnerKind;
  ownerId?: string;
  channel?: DeliveryChannel;
  enabled?: boolean;
}

/** A target with the secret it signs with, returned once: at creation and at rotation. */
export interface TargetWithSecret {
  target: DeliveryTarget;
  secret?: string;
}

/** Delivery targets (webhooks, WeCom and DingTalk robots): scoped by their owner, audited, secrets sealed. */
@Injectable()
export class DeliveryTargetsService {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, input: CreateTargetInput): Promise<TargetWithSecret> {
    if (!DELIVERY_OWNER_KINDS.includes(input.ownerKind)) throw DomainError.validation(`ownerKind must be one of ${DELIVERY_OWNER_KINDS.join(', ')}`, 'ownerKind');
    if (!DELIVERY_CHANNELS.includes(input.channel)) throw DomainError.validation(`channel must be one of ${DELIVERY_CHANNELS.join(', ')}`, 'channel');
    const name = assertName(input.name);
    const url = assertTargetUrl(input.url);
    const ratePerMinute = assertRange(input.ratePerMinute ?? 60, TARGET_LIMITS.rate, 'ratePerMinute');
    const timeoutMs = assertRange(input.timeoutMs ?? 5000, TARGET_LIMITS.timeoutMs, 'timeoutMs');
    const secret = secretForCreate(input.channel, input.secret);
    return this.em.fork().transactional(async (em) => {
      const anchor = await resolveOwner(em, principal, input.ownerKind, input.ownerId);
      const target = em.create(DeliveryTarget, {
        ownerKind: input.ownerKind,
        ownerId: input.ownerId,
        unitPath: anchor.unitPath,
        companyId: anchor.companyId,
        channel: input.channel,
        name,
        url,
        secretCipher: secret !== undefined ? this.secrets.seal(secret) : undefined,
        ratePerMinute,
        timeoutMs,
        enabled: input.enabled ?? true,
      });
      this.audit.record(em, {
        subjectType: 'delivery_target',
        subjectId: target.id,
        action: 'created',
        actor: actorOf(principal),
        toState: target.enabled ? 'enabled' : 'disabled',
        details: { ownerKind: target.ownerKind, ownerId: target.ownerId, channel: target.channel, name, ratePerMinute, timeoutMs },
      });
      await em.flush();
      // A webhook receiver needs its key once; a DingTalk secret came from DingTalk and is not echoed.
      return { target, secret: target.channel === 'webhook' ? secret : undefined };
    });
  }

  async get(principal: Principal, id: string): Promise<DeliveryTarget> {
    return this.findVisible(this.em.fork(), principal, id);
  }

  /** An owner filter aimed outside the caller's scope is refused (403), not answered with an empty page. */
  async list(principal: Principal, query: TargetListQuery): Promise<Page<DeliveryTarget>> {
    const { limit, offset } = pageWindow(query);
    const em = this.em.fork();
    const where: FilterQuery<DeliveryTarget>[] = [targetScopeFilter(principal)];
    if (query.ownerId !== undefined) {
      if (query.ownerKind === undefined) throw DomainError.validation('ownerKind is needed with ownerId', 'ownerKind');
      await resolveOwner(em, principal, query.ownerKind, query.ownerId);
      where.push({ ownerId: query.ownerId });
    }
    if (query.ownerKind !== undefined) where.push({ ownerKind: query.ownerKind });
    if (query.channel !== undefined) where.push({ channel: query.channel });
    if (query.enabled !== undefined) where.push({ enabled: query.enabled });
    const [items, total] = await em.findAndCount(DeliveryTarget, { $and: where }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit, offset });
    return { items, total, limit, offset };
  }

  async update(principal: Principal, id: string, input: UpdateTargetInput): Promise<DeliveryTarget> {
    return this.em.fork().transactional(async (em) => {
      const target = await this.findVisible(em, principal, id);
      const changed: string[] = [];
      const wasEnabled = target.enabled;
      const set = <K extends keyof UpdateTargetInput & keyof DeliveryTarget>(field: K, value: DeliveryTarget[K] | undefined): void => {
        if (value === undefined) return;
        target[field] = value;
        changed.push(field);
      };
      set('name', input.name !== undefined ? assertName(input.name) : undefined);
      set('url', input.url !== undefined ? assertTargetUrl(input.url) : undefined);
      set('ratePerMinute', input.ratePerMinute !== undefined ? assertRange(input.ratePerMinute, TARGET_LIMITS.rate, 'ratePerMinute') : undefined);
      set('timeoutMs', input.timeoutMs !== undefined ? assertRange(input.timeoutMs, TARGET_LIMITS.timeoutMs, 'timeoutMs') : undefined);
      set('enabled', input.enabled);
      if (changed.length === 0) return target;
      this.audit.record(em, {
        subjectType: 'delivery_target',
        subjectId: target.id,
        action: 'updated',
        actor: actorOf(principal),
        fromState: wasEnabled ? 'enabled' : 'disabled',
        toState: target.enabled ? 'enabled' : 'disabled',
        details: { changed, ratePerMinute: target.ratePerMinute, timeoutMs: target.timeoutMs },
      });
      await em.flush();
      return target;
    });
  }

  /** Deliveries still pending for it go dead ("target deleted") when their turn comes, redrivable elsewhere. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const target = await this.findVisible(em, principal, id);
      this.audit.record(em, {
        subjectType: 'delivery_target',
        subjectId: target.id,
        action: 'deleted',
        actor: actorOf(principal),
        fromState: target.enabled ? 'enabled' : 'disabled',
        details: { ownerKind: target.ownerKind, ownerId: target.ownerId, channel: target.channel, name: target.name },
      });
      em.remove(target);
      await em.flush();
    });
  }

  /**
   * A new secret; the old one stops working at once. Webhooks get a generated one (or the one
   * given) and see it once; DingTalk robots take the one DingTalk issued; WeCom robots have none.
   */
  async rotateSecret(principal: Principal, id: string, given?: string): Promise<TargetWithSecret> {
    return this.em.fork().transactional(async (em) => {
      const target = await this.findVisible(em, principal, id);
      if (target.channel === 'wecom') throw DomainError.validation('WeCom robots have no secret: their key is part of the URL', 'secret');
      if (target.channel === 'dingtalk' && given === undefined) {
        throw DomainError.validation('a DingTalk secret is issued by DingTalk: send the new one as secret', 'secret');
      }
      const secret = given !== undefined ? assertSecret(given) : generateWebhookSecret();
      target.secretCipher = this.secrets.seal(secret);
      this.audit.record(em, { subjectType: 'delivery_target', subjectId: target.id, action: 'secret_rotated', actor: actorOf(principal) });
      await em.flush();
      return { target, secret: target.channel === 'webhook' ? secret : undefined };
    });
  }

  private async findVisible(em: EntityManager, principal: Principal, id: string): Promise<DeliveryTarget> {
    const target = isUuid(id) ? await em.findOne(DeliveryTarget, { id }) : null;
    if (!target || !targetVisible(principal, target)) throw DomainError.notFound('delivery target', id);
    return target;
  }
}

function assertName(value: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > TARGET_LIMITS.name) throw DomainError.validation(`name must be 1-${TARGET_LIMITS.name} characters`, 'name');
  return name;
}

export function assertTargetUrl(value: string): string {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw DomainError.validation('url must be an absolute http or https URL', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw DomainError.validation('url must start with http:// or https://', 'url');
  if (url.username || url.password) throw DomainError.validation('url must not carry a user name or password', 'url');
  if (text.length > TARGET_LIMITS.url) throw DomainError.validation(`url must be at most ${TARGET_LIMITS.url} characters`, 'url');
  return text;
}

function assertRange(value: number, range: { min: number; max: number }, field: string): number {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw DomainError.validation(`${field} must be an integer from ${range.min} to ${range.max}`, field);
  }
  return value;
}

function assertSecret(value: string): string {
  if (value.length < TARGET_LIMITS.secretMin || value.length > TARGET_LIMITS.secretMax || value.trim() !== value) {
    throw DomainError.validation(`secret must be ${TARGET_LIMITS.secretMin}-${TARGET_LIMITS.secretMax} characters without surrounding spaces`, 'secret');
  }
  return value;
}

function secretForCreate(channel: DeliveryChannel, given: string | undefined): string | undefined {
  if (channel === 'wecom') {
    if (given !== undefined) throw DomainError.validation('WeCom robots have no secret: their key is part of the URL', 'secret');
    return undefined;
  }
  if (given !== undefined) return assertSecret(given);
  return channel === 'webhook' ? generateWebhookSecret() : undefined;
}
