import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { FilterQuery } from '@mikro-orm/core';
import { RUNTIME_SETTINGS, RuntimeSettings } from '@sc/config';
import { Device } from '../../devices/entities/device.entity';
import { Compound } from '../../org/entities/compound.entity';
import { OrgUnit } from '../../org/entities/org-unit.entity';
import { idsOfPath, unitVisible } from '../../org/org-access';
import { isUuid } from '../../org/org-errors';
import { findFilterUnit } from '../../org/org-filters';
import { OrgLevel } from '../../org/org-level';
import { compoundInScope, Scope, unitInScope } from '../../org/scope';
import { DomainError } from '../../shared/domain-error';
import { Page, PageQuery, pageWindow } from '../../shared/paging';
import { pseudonymise } from '../../shared/pseudonym';
import { CARE_ALERT, CARE_WATCH_DEVICE_TYPES } from '../alert-kinds';
import { CareSubject, CareWatchDevice } from '../entities/care-subject.entity';
import { RuleBook } from '../rules/rule-book';
import { checkQuietHours } from '../rules/rule-params';
import { CareWatch } from './care-watch';

/** Purpose of the keyed hash of a care subject's resident identifier. */
export const CARE_RESIDENT_PURPOSE = 'care-resident';
export const MAX_WATCHED_DEVICES = 20;

export interface CareSubjectInput {
  communityId: string;
  compoundId?: string | null;
  gridId?: string | null;
  alias: string;
  /** A raw resident identifier (ID number, resident number): only its pseudonym is stored. */
  residentId?: string | null;
  /** Default: the community's care-watch rule (24 h unless overridden). */
  quietHours?: number;
  deviceIds: string[];
}

export type CareSubjectUpdate = Partial<Omit<CareSubjectInput, 'communityId'>> & { active?: boolean };

export interface CareSubjectListQuery extends PageQuery {
  communityId?: string;
  compoundId?: string;
  active?: boolean;
}

/** A subject with the devices watched for it. */
export interface CareSubjectWithDevices {
  subject: CareSubject;
  deviceIds: string[];
}

const POPULATE = ['community', 'compound', 'compound.propertyCompany', 'grid'] as const;

/**
 * Care-watch registrations (三社联动): a household by alias (no name stored), a pseudonym of a
 * resident identifier, the quiet hours, and the door contacts and water meters of the same
 * community whose activity shows the resident is well. Read in the community's scope (a grid
 * worker: the subjects of their grid), changed by whoever may change the community's rules.
 */
@Injectable()
export class CareSubjectsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(RUNTIME_SETTINGS) private readonly runtime: RuntimeSettings,
    private readonly ruleBook: RuleBook,
    private readonly careWatch: CareWatch,
  ) {}

  async create(scope: Scope, input: CareSubjectInput): Promise<CareSubjectWithDevices> {
    const alias = aliasOf(input.alias);
    const result = await this.em.fork().transactional(async (em) => {
      const community = isUuid(input.communityId) ? await em.findOne(OrgUnit, { id: input.communityId }) : null;
      if (!community || community.level !== OrgLevel.Community) throw DomainError.validation(`unknown community ${input.communityId}`, 'communityId');
      const compound = input.compoundId ? await compoundOf(em, community, input.compoundId) : undefined;
      assertWritable(scope, community, compound);
      const grid = input.gridId ? await gridOf(em, community, input.gridId) : undefined;
      const devices = await this.watchedDevices(em, community, input.deviceIds);
      const quietHours = input.quietHours !== undefined ? checkQuietHours(input.quietHours, 'quietHours') : await this.defaultQuietHours(em, devices[0], community);
      const subject = em.create(CareSubject, {
        community,
        compound,
        grid,
        alias,
        residentRef: this.residentRef(input.residentId),
        quietHours,
        lastActivityAt: new Date(),
      });
      for (const device of devices) em.create(CareWatchDevice, { careSubjectId: subject.id, deviceId: device.id });
      await em.flush();
      return { subject, deviceIds: devices.map((d) => d.id).sort() };
    });
    this.careWatch.invalidate();
    return result;
  }

  async list(scope: Scope, query: CareSubjectListQuery): Promise<Page<CareSubjectWithDevices>> {
    const em = this.em.fork();
    const { limit, offset } = pageWindow(query);
    const and: FilterQuery<CareSubject>[] = [careScopeFilter(scope)];
    if (query.communityId !== undefined) {
      const community = await findFilterUnit(em, scope, query.communityId, 'communityId');
      and.push({ community: community.id });
    }
    if (query.compoundId !== undefined) {
      const compound = isUuid(query.compoundId) ? await em.findOne(Compound, { id: query.compoundId }, { populate: ['community', 'propertyCompany'] }) : null;
      if (!compound) throw DomainError.notFound('compound', query.compoundId, 'compoundId');
      if (!compoundInScope(scope, compound) && !unitVisible(scope, compound.community)) throw DomainError.forbidden(`compoundId: compound ${compound.code} is outside your scope`);
      and.push({ compound: compound.id });
    }
    if (query.active !== undefined) and.push({ active: query.active });
    const [subjects, total] = await em.findAndCount(CareSubject, { $and: and }, { populate: POPULATE, orderBy: { createdAt: 'asc', id: 'asc' }, limit, offset });
    const links = subjects.length > 0 ? await em.find(CareWatchDevice, { careSubjectId: { $in: subjects.map((s) => s.id) } }) : [];
    const items = subjects.map((subject) => ({
      subject,
      deviceIds: links.filter((l) => l.careSubjectId === subject.id).map((l) => l.deviceId).sort(),
    }));
    return { items, total, limit, offset };
  }

  async get(scope: Scope, id: string): Promise<CareSubjectWithDevices> {
    const em = this.em.fork();
    const subject = await findVisibleSubject(em, scope, id);
    return { subject, deviceIds: await deviceIdsOf(em, subject.id) };
  }

  async update(scope: Scope, id: string, input: CareSubjectUpdate): Promise<CareSubjectWithDevices> {
    const result = await this.em.fork().transactional(async (em) => {
      const subject = await findVisibleSubject(em, scope, id);
      assertWritable(scope, subject.community, subject.compound);
      if (input.alias !== undefined) subject.alias = aliasOf(input.alias);
      if (input.quietHours !== undefined) subject.quietHours = checkQuietHours(input.quietHours, 'quietHours');
      if (input.residentId !== undefined) subject.residentRef = this.residentRef(input.residentId);
      if (input.compoundId !== undefined) {
        const compound = input.compoundId ? await compoundOf(em, subject.community, input.compoundId) : undefined;
        if (compound) assertWritable(scope, subject.community, compound);
        subject.compound = compound;
      }
      if (input.gridId !== undefined) subject.grid = input.gridId ? await gridOf(em, subject.community, input.gridId) : undefined;
      if (input.active !== undefined) {
        // Watching again starts a fresh quiet period: the silence while paused is not the resident's.
        if (input.active && !subject.active) subject.lastActivityAt = new Date();
        subject.active = input.active;
      }
      let deviceIds: string[];
      if (input.deviceIds !== undefined) {
        const devices = await this.watchedDevices(em, subject.community, input.deviceIds);
        await em.nativeDelete(CareWatchDevice, { careSubjectId: subject.id });
        for (const device of devices) em.create(CareWatchDevice, { careSubjectId: subject.id, deviceId: device.id });
        deviceIds = devices.map((d) => d.id).sort();
      } else {
        deviceIds = await deviceIdsOf(em, subject.id);
      }
      await em.flush();
      return { subject, deviceIds };
    });
    this.careWatch.invalidate();
    return result;
  }

  async remove(scope: Scope, id: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const subject = await findVisibleSubject(em, scope, id);
      assertWritable(scope, subject.community, subject.compound);
      await em.nativeDelete(CareWatchDevice, { careSubjectId: subject.id });
      em.remove(subject);
      await em.flush();
    });
    this.careWatch.invalidate();
  }

  private residentRef(residentId: string | null | undefined): string | undefined {
    if (residentId === undefined || residentId === null) return undefined;
    const value = residentId.trim();
    if (value.length === 0 || value.length > 64) throw DomainError.validation('residentId must be 1-64 characters', 'residentId');
    return pseudonymise(this.runtime.pseudonymKey, value, CARE_RESIDENT_PURPOSE);
  }

  private async watchedDevices(em: EntityManager, community: OrgUnit, ids: unknown): Promise<Device[]> {
    if (!Array.isArray(ids) || ids.length === 0) throw DomainError.validation('deviceIds must list at least one door contact or water meter', 'deviceIds');
    if (ids.length > MAX_WATCHED_DEVICES) throw DomainError.validation(`deviceIds may list at most ${MAX_WATCHED_DEVICES} devices`, 'deviceIds');
    const unique = [...new Set(ids)];
    const bad = unique.find((id) => typeof id !== 'string' || !isUuid(id));
    if (bad !== undefined) throw DomainError.validation(`deviceIds: ${JSON.stringify(bad)} is not a device id (UUID)`, 'deviceIds');
    const devices = await em.find(Device, { id: { $in: unique as string[] } });
    const byId = new Map(devices.map((d) => [d.id, d]));
    for (const id of unique as string[]) {
      const device = byId.get(id);
      if (!device) throw DomainError.validation(`deviceIds: unknown device ${id}`, 'deviceIds');
      if (device.community.id !== community.id) throw DomainError.validation(`deviceIds: device ${device.code} is in another community`, 'deviceIds');
      if (!CARE_WATCH_DEVICE_TYPES.includes(device.type)) {
        throw DomainError.validation(`deviceIds: device ${device.code} is a ${device.type}; care watch uses ${CARE_WATCH_DEVICE_TYPES.join(' or ')} devices`, 'deviceIds');
      }
    }
    return unique.map((id) => byId.get(id as string) as Device);
  }

  private async defaultQuietHours(em: EntityManager, device: Device, community: OrgUnit): Promise<number> {
    const snapshot = await this.ruleBook.current(em);
    const rule = snapshot.rulesFor(device.type, { communityId: community.id, compoundId: device.compound?.id }).careWatch;
    return rule?.params.quietHours ?? CARE_ALERT.defaultQuietHours;
  }
}

function aliasOf(alias: unknown): string {
  const text = typeof alias === 'string' ? alias.trim() : '';
  if (text.length === 0 || text.length > 100) throw DomainError.validation('alias must be 1-100 characters (a label for the household, not a name)', 'alias');
  return text;
}

async function compoundOf(em: EntityManager, community: OrgUnit, id: string): Promise<Compound> {
  const compound = isUuid(id) ? await em.findOne(Compound, { id }, { populate: ['community', 'propertyCompany'] }) : null;
  if (!compound) throw DomainError.validation(`unknown compound ${id}`, 'compoundId');
  if (compound.community.id !== community.id) throw DomainError.validation(`compound ${compound.code} is in another community`, 'compoundId');
  return compound;
}

async function gridOf(em: EntityManager, community: OrgUnit, id: string): Promise<OrgUnit> {
  const grid = isUuid(id) ? await em.findOne(OrgUnit, { id }) : null;
  if (!grid || grid.level !== OrgLevel.Grid) throw DomainError.validation(`unknown grid ${id}`, 'gridId');
  if (!grid.path.startsWith(community.path)) throw DomainError.validation(`grid ${grid.code} is in another community`, 'gridId');
  return grid;
}

async function deviceIdsOf(em: EntityManager, subjectId: string): Promise<string[]> {
  return (await em.find(CareWatchDevice, { careSubjectId: subjectId })).map((l) => l.deviceId).sort();
}

async function findVisibleSubject(em: EntityManager, scope: Scope, id: string): Promise<CareSubject> {
  const subject = isUuid(id) ? await em.findOne(CareSubject, { id }, { populate: POPULATE }) : null;
  if (!subject || !subjectVisible(scope, subject)) throw DomainError.notFound('care subject', id);
  return subject;
}

function subjectVisible(scope: Scope, subject: CareSubject): boolean {
  if (scope.all || unitInScope(scope, subject.community)) return true;
  if (subject.grid && unitInScope(scope, subject.grid)) return true;
  return subject.compound !== undefined && subject.compound !== null && compoundInScope(scope, subject.compound);
}

function assertWritable(scope: Scope, community: OrgUnit, compound?: Compound | null): void {
  if (scope.all || unitInScope(scope, community)) return;
  if (compound && compoundInScope(scope, compound)) return;
  throw DomainError.forbidden(`community ${community.code} is outside your scope`);
}

/** Subjects in a scope: its subtrees' communities, its grid, its compounds and its companies' compounds. */
function careScopeFilter(scope: Scope): FilterQuery<CareSubject> {
  if (scope.all) return {};
  const or: FilterQuery<CareSubject>[] = [];
  for (const path of scope.unitPaths) {
    const ids = idsOfPath(path);
    const anchor = ids[ids.length - 1];
    if (ids.length === 5) or.push({ grid: anchor });
    else if (ids.length === 4) or.push({ community: anchor });
    else or.push({ community: { path: { $like: `${path}%` } } });
  }
  if (scope.compoundIds.length > 0) or.push({ compound: { $in: [...scope.compoundIds] } });
  if (scope.companyIds.length > 0) or.push({ compound: { propertyCompany: { $in: [...scope.companyIds] } } });
  return or.length > 0 ? { $or: or } : { id: { $in: [] } };
}
