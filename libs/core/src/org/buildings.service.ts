import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery, sql } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';
import { Building } from './entities/building.entity';
import { Compound } from './entities/compound.entity';
import { OrgUnit } from './entities/org-unit.entity';
import { findVisibleCompound } from './compounds.service';
import { assertCode, assertText, flushOrConflict, isUuid, outsideScope } from './org-errors';
import { OrgLevel } from './org-level';
import { RefInput, refField, refFields, refGiven, resolveCompound, resolveUnit } from './org-refs';
import { containsPattern, Page, PageQuery, pageWindow } from '../shared/paging';
import { compoundInScope, Scope, unitInScope } from './scope';

export interface CreateBuildingInput {
  /** The compound: from the URL (id) or an import row (code). */
  compoundId?: string | null;
  compoundCode?: string | null;
  code: string;
  name: string;
  gridId?: string | null;
  gridCode?: string | null;
  floors?: number | null;
}

export interface UpdateBuildingInput {
  name?: string;
  /** null in either field takes the building off any grid. */
  gridId?: string | null;
  gridCode?: string | null;
  floors?: number | null;
}

export interface BuildingListQuery extends PageQuery {
  gridId?: string;
  q?: string;
}

const COMPOUND = refFields('compound');
const GRID = refFields('grid');

/** Buildings (楼栋) of a compound; a building's grid decides which grid worker patrols it. */
@Injectable()
export class BuildingsService {
  constructor(private readonly em: EntityManager) {}

  async create(scope: Scope, input: CreateBuildingInput): Promise<Building> {
    const code = assertCode(input.code);
    const name = assertText(input.name, 'name', 200);
    return this.em.fork().transactional(async (em) => {
      const compoundRef: RefInput = { id: input.compoundId, code: input.compoundCode };
      const compound = await resolveCompound(em, compoundRef, COMPOUND);
      if (!compound) throw DomainError.validation('a compound is required', refField(compoundRef, COMPOUND));
      if (!unitInScope(scope, compound.community)) throw outsideScope(`compound ${compound.code}`, refField(compoundRef, COMPOUND));
      const grid = await resolveGrid(em, compound, { id: input.gridId, code: input.gridCode });
      if ((await em.count(Building, { compound, code })) > 0) throw duplicateCode(compound, code);
      const building = em.create(Building, { code, name, compound, grid, floors: checkFloors(input.floors) });
      await flushOrConflict(em, duplicateCode(compound, code).message, 'code');
      return building;
    });
  }

  async get(scope: Scope, id: string): Promise<Building> {
    return this.findVisible(this.em.fork(), scope, id);
  }

  async update(scope: Scope, id: string, input: UpdateBuildingInput): Promise<Building> {
    const em = this.em.fork();
    const building = await this.findVisible(em, scope, id);
    const compound = building.compound;
    if (!unitInScope(scope, compound.community)) throw DomainError.forbidden(`building ${building.code} is outside your scope (read-only)`);
    if (input.name !== undefined) building.name = assertText(input.name, 'name', 200);
    if (input.floors !== undefined) building.floors = checkFloors(input.floors);
    const gridRef: RefInput = { id: input.gridId, code: input.gridCode };
    if (refGiven(gridRef)) building.grid = await resolveGrid(em, compound, gridRef);
    else if (input.gridId === null || input.gridCode === null) building.grid = undefined;
    await em.flush();
    return building;
  }

  /** Buildings of one compound the caller can see. */
  async listForCompound(scope: Scope, compoundId: string, query: BuildingListQuery): Promise<Page<Building>> {
    const em = this.em.fork();
    const compound = await findVisibleCompound(em, scope, compoundId);
    const { limit, offset } = pageWindow(query);
    const where: FilterQuery<Building>[] = [{ compound: compound.id }];
    if (query.gridId !== undefined) {
      if (!isUuid(query.gridId)) throw DomainError.validation('gridId must be a UUID', 'gridId');
      where.push({ grid: query.gridId });
    }
    if (query.q !== undefined && query.q.trim() !== '') {
      const pattern = containsPattern(query.q);
      where.push({ $or: [{ [sql.lower('name')]: { $like: pattern } }, { [sql.lower('code')]: { $like: pattern } }] });
    }
    const [items, total] = await em.findAndCount(Building, { $and: where }, { orderBy: { code: 'asc' }, limit, offset });
    return { items, total, limit, offset };
  }

  private async findVisible(em: EntityManager, scope: Scope, id: string): Promise<Building> {
    const building = isUuid(id) ? await em.findOne(Building, { id }, { populate: ['compound.community'] }) : null;
    if (!building || !compoundInScope(scope, building.compound)) throw DomainError.notFound('building', id);
    return building;
  }
}

/** A building's grid must be a grid of the compound's own community. */
async function resolveGrid(em: EntityManager, compound: Compound, ref: RefInput): Promise<OrgUnit | undefined> {
  const field = refField(ref, GRID);
  const grid = await resolveUnit(em, ref, GRID, 'grid');
  if (!grid) return undefined;
  if (grid.level !== OrgLevel.Grid) throw DomainError.validation(`${grid.code} is a ${grid.level}, not a grid`, field);
  if (!grid.path.startsWith(compound.community.path)) {
    throw DomainError.validation(`grid ${grid.code} is not in the community of compound ${compound.code}`, field);
  }
  return grid;
}

function checkFloors(floors: number | null | undefined): number | undefined {
  if (floors === undefined || floors === null) return undefined;
  if (!Number.isInteger(floors) || floors < 1 || floors > 200) throw DomainError.validation('floors must be a whole number from 1 to 200', 'floors');
  return floors;
}

function duplicateCode(compound: Compound, code: string): DomainError {
  return DomainError.conflict(`compound ${compound.code} already has a building with code ${code}`, 'code');
}
