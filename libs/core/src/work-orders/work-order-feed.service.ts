import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { assertPermission, isAdmin, Principal } from '../identity/principal';
import { Permission, Role } from '../identity/roles';
import { PropertyCompany } from '../org/entities/property-company.entity';
import { DomainError } from '../shared/domain-error';
import { MAX_PAGE_LIMIT } from '../shared/paging';
import { WorkOrder } from './entities/work-order.entity';
import { assertId } from './work-order-input';
import { NOTICE_POPULATE } from './work-order-notices';

export interface FeedQuery {
  cursor?: string;
  limit?: number;
  /** Administrators pick the company; companies read their own. */
  companyId?: string;
}

export interface FeedPage {
  items: WorkOrder[];
  /** Pass it back to get what changed after the last item; unchanged when nothing new settled yet. */
  nextCursor: string | null;
}

/**
 * Rows younger than this are left for the next call: a transaction that stamped an earlier
 * updatedAt but commits later than a reader's call would otherwise be skipped forever.
 */
export const FEED_SETTLE_MS = 2000;

const DEFAULT_FEED_LIMIT = 100;

interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify({ t: position.at.getTime(), i: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; i?: unknown };
    if (typeof value.t === 'number' && Number.isFinite(value.t) && typeof value.i === 'string') return { at: new Date(value.t), id: assertId(value.i, 'cursor') };
  } catch (error: unknown) {
    throw new DomainError('validation', 'cursor is not one this API gave out', [{ field: 'cursor', message: 'invalid cursor' }], { cause: error });
  }
  throw DomainError.validation('cursor is not one this API gave out', 'cursor');
}

/**
 * The pull API for property companies' own systems: the orders routed to the company in the
 * order they changed, (updatedAt, id) after the cursor. An order shows again each time it changes.
 */
@Injectable()
export class WorkOrderFeed {
  constructor(private readonly em: EntityManager) {}

  async page(principal: Principal, query: FeedQuery): Promise<FeedPage> {
    assertPermission(principal, Permission.WorkOrdersRead);
    const em = this.em.fork();
    const companies = await companiesOf(em, principal, query.companyId);
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_FEED_LIMIT, 1), MAX_PAGE_LIMIT);
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const settled = new Date(Date.now() - FEED_SETTLE_MS);
    const and: FilterQuery<WorkOrder>[] = [
      companies === 'all' ? { assignedCompany: { $ne: null } } : { assignedCompany: { $in: companies } },
      { updatedAt: { $lte: settled } },
    ];
    if (after) and.push({ $or: [{ updatedAt: { $gt: after.at } }, { updatedAt: after.at, id: { $gt: after.id } }] });
    const items = await em.find(WorkOrder, { $and: and }, { populate: NOTICE_POPULATE, orderBy: { updatedAt: 'asc', id: 'asc' }, limit });
    const last = items[items.length - 1];
    return { items, nextCursor: last ? encodeCursor({ at: last.updatedAt, id: last.id }) : (query.cursor ?? null) };
  }
}

async function companiesOf(em: EntityManager, principal: Principal, companyId: string | undefined): Promise<string[] | 'all'> {
  if (isAdmin(principal)) {
    if (companyId === undefined) return 'all';
    if (!(await em.findOne(PropertyCompany, { id: assertId(companyId, 'companyId') }))) throw DomainError.notFound('property company', companyId);
    return [companyId];
  }
  const own = principal.grants.filter((g) => (g.role === Role.CompanySystem || g.role === Role.PropertyStaff) && g.companyId).map((g) => g.companyId as string);
  if (own.length === 0) throw DomainError.forbidden("the feed serves property companies' systems and staff");
  if (companyId === undefined) return own;
  if (!own.includes(companyId)) throw DomainError.forbidden(`company ${companyId} is not yours`);
  return [companyId];
}
