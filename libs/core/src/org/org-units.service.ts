import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery, LockMode, raw, sql } from '@mikro-orm/core';
import { DomainError } from '../shared/domain-error';
import { OrgUnit } from './entities/org-unit.entity';
import { unitVisible, visibleUnitFilter } from './org-access';
import { findFilterUnit } from './org-filters';
import { assertCode, assertText, flushOrConflict, isUuid, outsideScope } from './org-errors';
import { childLevelOf, OrgLevel, Settlement } from './org-level';
import { RefInput, refField, refFields, refGiven, resolveUnit } from './org-refs';
import { containsPattern, Page, PageQuery, pageWindow } from '../shared/paging';
import { Scope, unitInScope } from './scope';

export interface CreateOrgUnitInput {
  code: string;
  name: string;
  nameEn?: string | null;
  level: OrgLevel;
  parentId?: string | null;
  parentCode?: string | null;
  pilot?: boolean;
  settlement?: Settlement | null;
}

export interface UpdateOrgUnitInput {
  name?: string;
  nameEn?: string | null;
  pilot?: boolean;
  settlement?: Settlement | null;
  /** Moves the unit under another parent of the same level as the old one. */
  parentId?: string;
  parentCode?: string;
}

export interface OrgUnitListQuery extends PageQuery {
  level?: OrgLevel;
  parentId?: string;
  /** Subtree root: the unit itself and everything below it. */
  under?: string;
  q?: string;
  pilot?: boolean;
}

const PARENT = refFields('parent');

/**
 * The org tree (city → district → street → community → grid). Every unit keeps its
 * materialised path, so subtrees are prefix matches; a move rewrites the subtree's paths.
 */
@Injectable()
export class OrgUnitsService {
  constructor(private readonly em: EntityManager) {}

  async create(scope: Scope, input: CreateOrgUnitInput): Promise<OrgUnit> {
    const code = assertCode(input.code);
    const name = assertText(input.name, 'name', 200);
    return this.em.fork().transactional(async (em) => {
      const parentRef: RefInput = { id: input.parentId, code: input.parentCode };
      const parent = await resolveUnit(em, parentRef, PARENT, 'parent unit', true);
      if (parent && !unitInScope(scope, parent)) {
        throw outsideScope(`parent unit ${parent.code}`, refField(parentRef, PARENT));
      }
      checkPlacement(scope, input.level, parent, refField(parentRef, PARENT));
      checkSettlement(input.level, input.settlement);
      if ((await em.count(OrgUnit, { code })) > 0) throw duplicateCode(code);
      const unit = em.create(OrgUnit, {
        code,
        name,
        nameEn: input.nameEn?.trim() || undefined,
        level: input.level,
        parent,
        path: '',
        pilot: input.pilot ?? false,
        settlement: input.settlement ?? undefined,
      });
      unit.path = `${parent?.path ?? '/'}${unit.id}/`;
      await flushOrConflict(em, duplicateCode(code).message, 'code');
      return unit;
    });
  }

  async get(scope: Scope, id: string): Promise<OrgUnit> {
    return this.findVisible(this.em.fork(), scope, id);
  }

  async update(scope: Scope, id: string, input: UpdateOrgUnitInput): Promise<OrgUnit> {
    return this.em.fork().transactional(async (em) => {
      // Row-locked, so a concurrent move of an ancestor finishes first and this sees the fresh path.
      const unit = await this.findVisible(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      if (!unitInScope(scope, unit)) throw DomainError.forbidden(`org unit ${unit.code} is outside your scope (read-only)`);
      if (input.name !== undefined) unit.name = assertText(input.name, 'name', 200);
      if (input.nameEn !== undefined) unit.nameEn = input.nameEn?.trim() || undefined;
      if (input.pilot !== undefined) unit.pilot = input.pilot;
      if (input.settlement !== undefined) {
        checkSettlement(unit.level, input.settlement);
        unit.settlement = input.settlement ?? undefined;
      }
      const parentRef: RefInput = { id: input.parentId, code: input.parentCode };
      if (refGiven(parentRef)) await this.move(em, scope, unit, parentRef);
      await em.flush();
      return unit;
    });
  }

  async list(scope: Scope, query: OrgUnitListQuery): Promise<Page<OrgUnit>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const where: FilterQuery<OrgUnit>[] = [visibleUnitFilter(scope) as FilterQuery<OrgUnit>];
    if (query.level !== undefined) where.push({ level: query.level });
    if (query.pilot !== undefined) where.push({ pilot: query.pilot });
    if (query.parentId !== undefined) {
      const parent = await findFilterUnit(em, scope, query.parentId, 'parentId');
      where.push({ parent: parent.id });
    }
    if (query.under !== undefined) {
      const root = await findFilterUnit(em, scope, query.under, 'under');
      where.push({ path: { $like: `${root.path}%` } });
    }
    if (query.q !== undefined && query.q.trim() !== '') {
      const pattern = containsPattern(query.q);
      where.push({ $or: [{ [sql.lower('name')]: { $like: pattern } }, { [sql.lower('code')]: { $like: pattern } }] });
    }
    const [items, total] = await em.findAndCount(OrgUnit, { $and: where }, { orderBy: { code: 'asc' }, limit, offset });
    return { items, total, limit, offset };
  }

  /** Out-of-scope units are not found: their existence is not the caller's business. */
  private async findVisible(em: EntityManager, scope: Scope, id: string, lockMode?: LockMode): Promise<OrgUnit> {
    const unit = isUuid(id) ? await em.findOne(OrgUnit, { id }, lockMode ? { lockMode } : {}) : null;
    if (!unit || !unitVisible(scope, unit)) throw DomainError.notFound('org unit', id);
    return unit;
  }

  /**
   * Re-parents a unit to another parent of the old parent's level, and rewrites the paths of
   * its whole subtree in the caller's transaction, so no reader ever sees a half-moved tree.
   */
  private async move(em: EntityManager, scope: Scope, unit: OrgUnit, ref: RefInput): Promise<void> {
    const field = refField(ref, PARENT);
    const newParent = await resolveUnit(em, ref, PARENT, 'parent unit', true);
    if (!newParent) return;
    if (!unit.parent) throw DomainError.validation(`a ${unit.level} has no parent to change`, field);
    if (!unitInScope(scope, newParent)) throw outsideScope(`parent unit ${newParent.code}`, field);
    const oldParent = await em.findOneOrFail(OrgUnit, { id: unit.parent.id });
    if (newParent.level !== oldParent.level) {
      throw DomainError.validation(`the new parent must be a ${oldParent.level}, like the old one; ${newParent.code} is a ${newParent.level}`, field);
    }
    if (newParent.id === oldParent.id) return;
    const oldPath = unit.path;
    const newPath = `${newParent.path}${unit.id}/`;
    // Lock the subtree first: a child being created under it commits before the rewrite reads it.
    await em.createQueryBuilder(OrgUnit).select('id').where({ path: { $like: `${oldPath}%` } }).setLockMode(LockMode.PESSIMISTIC_WRITE).execute('all', false);
    unit.parent = newParent;
    unit.path = newPath;
    await em.flush();
    await em
      .createQueryBuilder(OrgUnit)
      .update({ path: raw('? || substr(path, ?)', [newPath, oldPath.length + 1]), updatedAt: new Date() })
      .where({ path: { $like: `${oldPath}%` }, id: { $ne: unit.id } })
      .execute();
  }
}

function checkPlacement(scope: Scope, level: OrgLevel, parent: OrgUnit | undefined, parentField: string): void {
  if (level === OrgLevel.City) {
    if (parent) throw DomainError.validation('a city has no parent', parentField);
    if (!scope.all) throw DomainError.forbidden('only administrators may create a city');
    return;
  }
  if (!parent) throw DomainError.validation(`a ${level} needs a parent unit`, parentField);
  const expected = childLevelOf(parent.level);
  if (expected !== level) {
    const hint = expected ? `a child of a ${parent.level} must be a ${expected}` : `a ${parent.level} has no children`;
    throw DomainError.validation(`a ${level} cannot be placed under ${parent.code}: ${hint}`, 'level');
  }
}

/** Urban community (社区) or administrative village (行政村): only community-level units have one. */
function checkSettlement(level: OrgLevel, settlement: Settlement | null | undefined): void {
  if (settlement !== undefined && settlement !== null && level !== OrgLevel.Community) {
    throw DomainError.validation(`only a community has a settlement (urban/rural), not a ${level}`, 'settlement');
  }
}

function duplicateCode(code: string): DomainError {
  return DomainError.conflict(`an org unit with code ${code} already exists`, 'code');
}
