import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery, sql } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';
import { GridWorker } from './entities/grid-worker.entity';
import { OrgUnit } from './entities/org-unit.entity';
import { assertCode, assertText, flushOrConflict, isUuid, outsideScope } from './org-errors';
import { findFilterUnit } from './org-filters';
import { OrgLevel } from './org-level';
import { RefInput, refField, refFields, refGiven, resolveUnit } from './org-refs';
import { containsPattern, Page, PageQuery, pageWindow } from '../shared/paging';
import { Scope, unitInScope } from './scope';

export interface CreateGridWorkerInput {
  code: string;
  name: string;
  gridId?: string | null;
  gridCode?: string | null;
  fullTime?: boolean;
  active?: boolean;
}

export interface UpdateGridWorkerInput {
  name?: string;
  fullTime?: boolean;
  active?: boolean;
  /** Moves the worker to another grid in the caller's scope. */
  gridId?: string;
  gridCode?: string;
}

export interface GridWorkerListQuery extends PageQuery {
  gridId?: string;
  under?: string;
  active?: boolean;
  q?: string;
}

const GRID = refFields('grid');

/** The grid-worker roster (网格员): seen and kept by the officers above the grid. */
@Injectable()
export class GridWorkersService {
  constructor(private readonly em: EntityManager) {}

  async create(scope: Scope, input: CreateGridWorkerInput): Promise<GridWorker> {
    const code = assertCode(input.code);
    const name = assertText(input.name, 'name', 100);
    return this.em.fork().transactional(async (em) => {
      const gridRef: RefInput = { id: input.gridId, code: input.gridCode };
      const grid = await resolveWritableGrid(em, scope, gridRef);
      if (!grid) throw DomainError.validation('a grid is required', refField(gridRef, GRID));
      if ((await em.count(GridWorker, { code })) > 0) throw duplicateCode(code);
      const worker = em.create(GridWorker, { code, name, grid, fullTime: input.fullTime ?? true, active: input.active ?? true });
      await flushOrConflict(em, duplicateCode(code).message, 'code');
      return worker;
    });
  }

  async get(scope: Scope, id: string): Promise<GridWorker> {
    return this.findVisible(this.em.fork(), scope, id);
  }

  async update(scope: Scope, id: string, input: UpdateGridWorkerInput): Promise<GridWorker> {
    const em = this.em.fork();
    const worker = await this.findVisible(em, scope, id);
    if (input.name !== undefined) worker.name = assertText(input.name, 'name', 100);
    if (input.fullTime !== undefined) worker.fullTime = input.fullTime;
    if (input.active !== undefined) worker.active = input.active;
    const gridRef: RefInput = { id: input.gridId, code: input.gridCode };
    if (refGiven(gridRef)) {
      const grid = await resolveWritableGrid(em, scope, gridRef);
      if (grid) worker.grid = grid;
    }
    await em.flush();
    return worker;
  }

  async list(scope: Scope, query: GridWorkerListQuery): Promise<Page<GridWorker>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const where: FilterQuery<GridWorker>[] = [rosterScopeFilter(scope)];
    if (query.gridId !== undefined) {
      const grid = await findFilterUnit(em, scope, query.gridId, 'gridId');
      where.push({ grid: grid.id });
    }
    if (query.under !== undefined) {
      const root = await findFilterUnit(em, scope, query.under, 'under');
      where.push({ grid: { path: { $like: `${root.path}%` } } });
    }
    if (query.active !== undefined) where.push({ active: query.active });
    if (query.q !== undefined && query.q.trim() !== '') {
      const pattern = containsPattern(query.q);
      where.push({ $or: [{ [sql.lower('name')]: { $like: pattern } }, { [sql.lower('code')]: { $like: pattern } }] });
    }
    const [items, total] = await em.findAndCount(GridWorker, { $and: where }, { orderBy: { code: 'asc' }, limit, offset });
    return { items, total, limit, offset };
  }

  /** The roster is the subtree's business only: a worker outside it is not found. */
  private async findVisible(em: EntityManager, scope: Scope, id: string): Promise<GridWorker> {
    const worker = isUuid(id) ? await em.findOne(GridWorker, { id }, { populate: ['grid'] }) : null;
    if (!worker || !unitInScope(scope, worker.grid)) throw DomainError.notFound('grid worker', id);
    return worker;
  }
}

async function resolveWritableGrid(em: EntityManager, scope: Scope, ref: RefInput): Promise<OrgUnit | undefined> {
  const grid = await resolveUnit(em, ref, GRID, 'grid');
  if (!grid) return undefined;
  if (!unitInScope(scope, grid)) throw outsideScope(`grid ${grid.code}`, refField(ref, GRID));
  if (grid.level !== OrgLevel.Grid) throw DomainError.validation(`${grid.code} is a ${grid.level}, not a grid`, refField(ref, GRID));
  return grid;
}

function rosterScopeFilter(scope: Scope): FilterQuery<GridWorker> {
  if (scope.all) return {};
  const or: FilterQuery<GridWorker>[] = scope.unitPaths.map((prefix) => ({ grid: { path: { $like: `${prefix}%` } } }));
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}

function duplicateCode(code: string): DomainError {
  return DomainError.conflict(`a grid worker with code ${code} already exists`, 'code');
}
