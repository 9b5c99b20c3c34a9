import { EntityManager } from '@mikro-orm/knex';
import { Building } from '../org/entities/building.entity';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { OrgLevel } from '../org/org-level';
import { DomainError } from '../shared/domain-error';
import { isUuid } from './device-fields';
import { Device } from './entities/device.entity';

/**
 * Where a device sits: community (required), compound, building, grid. References arrive by id
 * (API clients) or by code (people, CSV imports); errors name the field the caller used.
 */

/** One reference as given: the value and the input field it came from. */
export interface PlacementRef {
  by: 'id' | 'code';
  value: string;
  field: string;
}

export type PlacementSlot = 'community' | 'compound' | 'building' | 'grid';

/** `undefined`: not given (keep); `null`: clear it (compound, building, grid on update). */
export type PlacementRefs = Partial<Record<PlacementSlot, PlacementRef | null>>;

export interface Placement {
  community: OrgUnit;
  compound?: Compound;
  building?: Building;
  grid?: OrgUnit;
}

/** Reads `<slot>Id` / `<slot>Code` from an input object; both given is an error, both null clears. */
export function placementRef(input: object, slot: PlacementSlot): PlacementRef | null | undefined {
  const idField = `${slot}Id`;
  const codeField = `${slot}Code`;
  const id = (input as Record<string, unknown>)[idField];
  const code = (input as Record<string, unknown>)[codeField];
  const given = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
  if (given(id) && given(code)) throw DomainError.validation(`give ${idField} or ${codeField}, not both`, idField);
  if (given(id)) return { by: 'id', value: id.trim(), field: idField };
  if (given(code)) return { by: 'code', value: code.trim(), field: codeField };
  if (id === null || code === null || id === '' || code === '') return null;
  return undefined;
}

export function placementRefs(input: object): PlacementRefs {
  const refs: PlacementRefs = {};
  for (const slot of ['community', 'compound', 'building', 'grid'] as const) {
    const ref = placementRef(input, slot);
    if (ref !== undefined) refs[slot] = ref;
  }
  return refs;
}

/**
 * Resolves and checks placements. One instance per operation: it caches the rows it loaded, so a
 * bulk import of a thousand devices in one compound loads the compound once.
 */
export class PlacementResolver {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly em: EntityManager) {}

  /**
   * The new placement from `refs` on top of `current` (absent on create). Changing the community
   * does not silently drop the compound: a compound left in the old community is an error.
   */
  async resolve(refs: PlacementRefs, current?: Placement): Promise<Placement> {
    if (refs.community === null) throw DomainError.validation('a device always belongs to a community', 'communityId');
    const community = refs.community ? await this.community(refs.community) : current?.community;
    if (!community) throw DomainError.validation('communityId or communityCode is required', 'communityId');

    let compound = refs.compound === null ? undefined : refs.compound ? await this.compound(refs.compound) : current?.compound;
    let building: Building | undefined;
    if (refs.building) {
      building = await this.building(refs.building, compound);
      if (refs.compound !== undefined && building.compound.id !== compound?.id) {
        throw DomainError.validation(`building ${refs.building.value} is in another compound`, refs.building.field);
      }
      // A building alone moves the device to the building's compound.
      compound = building.compound;
    } else if (refs.building === undefined && current?.building && current.building.compound.id === compound?.id) {
      building = current.building;
    }
    if (compound && compound.community.id !== community.id) {
      const field = refs.compound?.field ?? refs.building?.field ?? 'compoundId';
      throw DomainError.validation(`compound ${compound.code} is in another community`, field);
    }

    const placementMoved = refs.community !== undefined || refs.compound !== undefined || refs.building !== undefined;
    let grid: OrgUnit | undefined;
    if (refs.grid === null) grid = undefined;
    else if (refs.grid) grid = await this.grid(refs.grid, community);
    else if (placementMoved) grid = building?.grid ?? (current?.grid && this.isGridOf(current.grid, community) ? current.grid : undefined);
    else grid = current?.grid;
    return { community, compound, building, grid };
  }

  private async community(ref: PlacementRef): Promise<OrgUnit> {
    const unit = await this.unit(ref, 'community');
    if (unit.level !== OrgLevel.Community) {
      throw DomainError.validation(`${ref.value} is a ${unit.level}, not a community`, ref.field);
    }
    return unit;
  }

  private async grid(ref: PlacementRef, community: OrgUnit): Promise<OrgUnit> {
    const unit = await this.unit(ref, 'grid');
    if (unit.level !== OrgLevel.Grid) throw DomainError.validation(`${ref.value} is a ${unit.level}, not a grid`, ref.field);
    if (!this.isGridOf(unit, community)) throw DomainError.validation(`grid ${ref.value} is in another community`, ref.field);
    return unit;
  }

  private isGridOf(grid: OrgUnit, community: OrgUnit): boolean {
    return grid.path.startsWith(community.path);
  }

  private unit(ref: PlacementRef, what: string): Promise<OrgUnit> {
    return this.load(OrgUnit, ref, what, {});
  }

  private compound(ref: PlacementRef): Promise<Compound> {
    return this.load(Compound, ref, 'compound', { populate: ['community', 'propertyCompany'] });
  }

  /** Building codes are unique only inside a compound, so a building by code needs its compound. */
  private building(ref: PlacementRef, compound: Compound | undefined): Promise<Building> {
    if (ref.by === 'code' && !compound) {
      throw DomainError.validation(`${ref.field} needs compoundId or compoundCode: building codes are unique per compound`, ref.field);
    }
    const where = ref.by === 'code' && compound ? { compound: compound.id } : {};
    return this.load(Building, ref, 'building', {
      populate: ['compound', 'compound.community', 'compound.propertyCompany', 'grid'],
      where,
    });
  }

  private load<T extends object>(
    entity: new () => T,
    ref: PlacementRef,
    what: string,
    options: { populate?: string[]; where?: Record<string, unknown> },
  ): Promise<T> {
    if (ref.by === 'id' && !isUuid(ref.value)) {
      return Promise.reject(DomainError.validation(`${ref.field} must be a UUID`, ref.field));
    }
    const where = { ...(options.where ?? {}), [ref.by]: ref.value };
    const key = `${entity.name}:${JSON.stringify(where)}`;
    let pending = this.cache.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = this.em
        .findOne(entity, where as never, { populate: (options.populate ?? []) as never })
        .then((row) => {
          if (!row) throw DomainError.validation(`unknown ${what} ${ref.value}`, ref.field);
          return row as T;
        });
      // A failed lookup is cached too: the same bad code in fifty rows costs one query.
      this.cache.set(key, pending);
    }
    return pending.catch((error: unknown) => {
      // Cached errors carry the first row's field name; re-issue with this reference's field.
      if (error instanceof DomainError) throw DomainError.validation(error.message, ref.field);
      throw error;
    });
  }
}

/** The device's relation columns for a placement. */
export function placementColumns(placement: Placement): Pick<Device, 'community' | 'compound' | 'building' | 'grid'> {
  return { community: placement.community, compound: placement.compound, building: placement.building, grid: placement.grid };
}
